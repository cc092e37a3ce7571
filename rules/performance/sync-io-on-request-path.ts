// sync-io-on-request-path: blocking fs/crypto/zlib/child_process/bcrypt calls in code that runs per request.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { calleeNameNode } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { syncIoCallsIn, type SyncIoCall } from '../shared/sync-io-calls';
import { syncIoFix } from '../shared/sync-io-fix';
import { perRequestFunctions, type PerRequestFunction } from '../shared/sync-io-handlers';
import { projectFunctionOf } from '../taint';

export const rule: Rule = {
  id: 'sync-io-on-request-path',
  category: 'performance',
  cwe: [],
  defaultSeverity: 'warning',
  description: 'Synchronous file, compression, child-process or key-derivation call in code that runs on every request.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const handlers = perRequestFunctions(ctx);
    const handlerFns = new Set<ts.Node>(handlers.map((h) => h.fn));
    for (const handler of handlers) {
      if (ctx.isCancellationRequested()) return;
      // A handler nested in another (a route registered inside a plugin callback) reports its own calls.
      for (const found of syncIoCallsIn(ctx, handler.fn)) {
        if (innermostHandler(ctx, found.call, handlerFns) === handler.fn) reportDirect(ctx, handler, found);
      }
      for (const call of projectCallsIn(ctx, handler.fn)) {
        if (innermostHandler(ctx, call, handlerFns) !== handler.fn) continue;
        const helper = projectFunctionOf(ctx, call);
        // The helper itself a handler of this file reports its own calls.
        if (!helper || handlerFns.has(helper) || helper.body === undefined) continue;
        const inner = firstSyncIoCallOf(ctx, helper);
        if (inner) reportThroughHelper(ctx, handler, call, inner);
      }
    }
  },
};

// Per program: a helper called from many handlers (and files) is scanned once.
const helperCache = new WeakMap<ts.Program, WeakMap<ts.Node, SyncIoCall | null>>();

function firstSyncIoCallOf(ctx: RuleContext, helper: ts.FunctionLikeDeclaration & { readonly body: ts.Node }): SyncIoCall | undefined {
  let byFn = helperCache.get(ctx.program);
  if (!byFn) helperCache.set(ctx.program, (byFn = new WeakMap()));
  let found = byFn.get(helper);
  if (found === undefined) byFn.set(helper, (found = syncIoCallsIn(ctx, helper.body)[0] ?? null));
  return found ?? undefined;
}

function where(handler: PerRequestFunction): string {
  return handler.route ? `the \`${handler.route}\` handler` : 'a request handler';
}

function reportDirect(ctx: RuleContext, handler: PerRequestFunction, found: SyncIoCall): void {
  const fix = () => {
    const f = syncIoFix(ctx, found, handler.fn);
    return f ? [f] : [];
  };
  ctx.report({
    node: found.call.expression,
    message: `\`${found.label}\` blocks the event loop in ${where(handler)}, stalling every other request: use the asynchronous API and await it.`,
    fixes: fix,
  });
}

function reportThroughHelper(ctx: RuleContext, handler: PerRequestFunction, call: ts.CallExpression, inner: SyncIoCall): void {
  const name = calleeNameNode(ctx.ts, call.expression)?.getText() ?? 'helper';
  ctx.report({
    node: call.expression,
    message: `\`${name}\` calls \`${inner.label}\`, which blocks the event loop in ${where(handler)} on every request: make \`${name}\` use the asynchronous API or load the data once at startup.`,
    related: [{ fileName: inner.call.getSourceFile().fileName, node: inner.call, message: `\`${inner.label}\` runs synchronously here` }],
  });
}

/** Calls of the handler's body, nested callbacks included. */
function projectCallsIn(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): ts.CallExpression[] {
  const { ts } = ctx;
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return out;
}

function innermostHandler(ctx: RuleContext, node: ts.Node, handlerFns: Set<ts.Node>): ts.Node | undefined {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) if (handlerFns.has(p)) return p;
  return undefined;
}
