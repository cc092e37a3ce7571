// unguarded-external-call: an outgoing HTTP request to another service with no
// timeout (a hung upstream holds the request, its socket and memory), or whose
// failure escapes an Express 4 handler that nobody awaits (the request hangs), or —
// for node:http/https — whose `error` event has no listener (the process crashes); and
// calls through Stripe, OpenAI and AWS SDK v3 clients constructed without a timeout.
import type { ts } from 'ts-morph';
import type { EndpointConcern, Rule, RuleContext } from '../api';
import { resolveCall, skipOuter } from '../shared/callee';
import { isIdempotent, outboundCall, requestUses, timeoutOf, type OutboundCall, type Presence } from '../shared/outbound-http';
import { destinationOf } from './unguarded-external-call/destination';
import { isTestModule } from '../shared/module-imports';
import { isClientModule } from './unguarded-external-call/module-kind';
import { PROMISE_CHAIN, unhandledFailure, type UnhandledFailure } from './unguarded-external-call/failure-path';
import { buildFix } from './unguarded-external-call/fix';
import { buildSdkFix } from './unguarded-external-call/sdk-fix';
import { sdkCall, SDK_SPECS, type SdkName } from '../shared/outbound-http/sdk-clients';

const DEFAULT_TIMEOUT_MS = 10_000;
// Names a request function or method can have; anything else is not looked at further.
const REQUEST_NAMES = new Set(['fetch', 'request', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'postForm', 'putForm', 'patchForm', 'query']);
// got's pending request gives the parsed body through these, still as a promise.
const GOT_CHAIN = [...PROMISE_CHAIN, 'json', 'text', 'buffer'];

export const rule: Rule = {
  id: 'unguarded-external-call',
  category: 'error-handling',
  cwe: [1088, 703],
  defaultSeverity: 'warning',
  description: 'Outgoing HTTP calls to other services need a timeout and a handled failure, or a slow or failing upstream hangs the request.',
  needsTypes: true,
  fixable: true,
  concerns: ['timeouts', 'errorHandling'],
  check(ctx) {
    if (isTestModule(ctx) || isClientModule(ctx)) return;
    const timeoutMs = typeof ctx.options.timeoutMs === 'number' && ctx.options.timeoutMs > 0 ? ctx.options.timeoutMs : DEFAULT_TIMEOUT_MS;
    const sdks = usesSdkClients(ctx);
    const visit = (node: ts.Node): void => {
      if (ctx.ts.isCallExpression(node)) {
        if (isCandidate(ctx, node)) checkCall(ctx, node, timeoutMs);
        if (sdks) checkSdkCall(ctx, node, timeoutMs);
      }
      ctx.ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

/** A cheap gate before asking the checker: a request-like name, or a direct call of a variable (an axios/got instance). */
function isCandidate(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (ts.isPropertyAccessExpression(callee)) return REQUEST_NAMES.has(callee.name.text);
  if (!ts.isIdentifier(callee)) return false;
  if (REQUEST_NAMES.has(callee.text)) return true;
  let symbol = ctx.checker.getSymbolAtLocation(callee);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  if (!symbol) return false;
  // Declared functions, methods and classes are never a client instance.
  return !(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method | ts.SymbolFlags.Class));
}

function checkCall(ctx: RuleContext, call: ts.CallExpression, timeoutMs: number): void {
  const out = outboundCall(ctx, call);
  if (!out || destinationOf(ctx, out) === 'local') return;
  // Promise.race([call, timer]) bounds the wait (though not the socket): not ours to judge.
  const timeout = racedAgainst(ctx, call) ? 'unknown' : timeoutOf(ctx, out);
  const failure = out.client === 'node-http' ? undefined : unhandledFailure(ctx, call, out.client === 'got' ? GOT_CHAIN : PROMISE_CHAIN);
  const noErrorListener = out.client === 'node-http' && lacksErrorListener(ctx, call);
  if (timeout !== 'missing' && !failure && !noErrorListener) return;
  const idempotent = isIdempotent(ctx, out);
  ctx.report({
    start: call.getStart(ctx.sourceFile),
    end: underlineEnd(ctx, call),
    message: messageOf(out, timeout, failure, noErrorListener),
    concerns: concernsOf(timeout, failure !== undefined || noErrorListener),
    related: failure ? [{ node: failure.handler.registration, message: `${failure.handlerLabel} is an Express 4 handler: a rejected promise there is never answered` }] : undefined,
    // A timeout for node:http surfaces as an `error` event: without a listener it would crash instead.
    fixes: noErrorListener ? undefined : () => {
      const fix = buildFix(ctx, { out, timeout, failure, idempotent, timeoutMs });
      return fix ? [fix] : [];
    },
  });
}

/** The package depends on an SDK whose client carries the timeout (else no call can be one of its). */
function usesSdkClients(ctx: RuleContext): boolean {
  const deps = Object.keys(ctx.project.packageJson(ctx.fileName)?.allDependencies ?? {});
  return deps.some((d) => d === 'stripe' || d === 'openai' || d.startsWith('@aws-sdk/client-'));
}

function checkSdkCall(ctx: RuleContext, call: ts.CallExpression, timeoutMs: number): void {
  const found = sdkCall(ctx, call);
  if (!found || found.timeout !== 'missing' || racedAgainst(ctx, call)) return;
  const spec = SDK_SPECS[found.sdk];
  const ctor = found.construction.expression.getText(found.construction.getSourceFile());
  const sameFile = found.construction.getSourceFile() === ctx.sourceFile;
  ctx.report({
    start: call.getStart(ctx.sourceFile),
    end: call.expression.getEnd(),
    message: `\`${found.label}\` has no timeout: its ${spec.product} client is constructed without one (the SDK's default: ${spec.defaultWait}); set ${SDK_HINT[found.sdk]} in \`new ${ctor}(…)\`${sameFile ? '' : ' where the client is made'}.`,
    concerns: ['timeouts'],
    related: [{ fileName: found.construction.getSourceFile().fileName, start: found.construction.getStart(found.construction.getSourceFile()), end: found.construction.getEnd(), message: `the ${spec.product} client is constructed here` }],
    fixes: () => {
      const fix = buildSdkFix(ctx, found, formatMs(timeoutMs));
      return fix ? [fix] : [];
    },
  });
}

const SDK_HINT: Record<SdkName, string> = {
  stripe: '`timeout` and `maxNetworkRetries`',
  openai: '`timeout` and `maxRetries`',
  aws: '`requestHandler: { requestTimeout }` and `maxAttempts`',
};

function formatMs(ms: number): string {
  return String(Math.round(ms)).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}

function racedAgainst(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  let n: ts.Node = call;
  while (ts.isParenthesizedExpression(n.parent) || ts.isArrayLiteralExpression(n.parent)) n = n.parent;
  const race = n.parent;
  if (!ts.isCallExpression(race) || !race.arguments.includes(n as ts.Expression)) return false;
  const target = resolveCall(ctx, race);
  return !!target?.isGlobal && target.name === 'race';
}

/** Through the first argument when it fits on the call's line: the URL tells two `fetch` calls apart. */
function underlineEnd(ctx: RuleContext, call: ts.CallExpression): number {
  const first = call.arguments[0];
  const line = (pos: number) => ctx.sourceFile.getLineAndCharacterOfPosition(pos).line;
  return first && line(first.getEnd()) === line(call.getStart(ctx.sourceFile)) ? first.getEnd() : call.expression.getEnd();
}

/** The ClientRequest of http.get/request is used in ways we can follow, and none listens for `error`. */
function lacksErrorListener(ctx: RuleContext, call: ts.CallExpression): boolean {
  const uses = requestUses(ctx, call);
  if (!uses) return false;
  return !uses.some((u) => {
    if (!['on', 'once', 'prependListener', 'prependOnceListener', 'addListener'].includes(u.member)) return false;
    const event = u.call.arguments[0];
    return !event || !ctx.ts.isStringLiteralLike(event) || event.text === 'error';
  });
}

const TIMEOUT_HINT: Record<OutboundCall['client'], string> = {
  fetch: 'pass `signal: AbortSignal.timeout(ms)`',
  undici: 'pass `signal: AbortSignal.timeout(ms)` (or `headersTimeout`/`bodyTimeout`)',
  axios: 'set `timeout` on the call or on the axios instance',
  got: 'set `timeout: { request: ms }`',
  'node-http': 'set the `timeout` option and destroy the request on its `timeout` event',
};

/** What the finding says is missing, for the report's endpoint matrix. */
function concernsOf(timeout: Presence, failureUnhandled: boolean): EndpointConcern[] {
  const concerns: EndpointConcern[] = [];
  if (timeout === 'missing') concerns.push('timeouts');
  if (failureUnhandled) concerns.push('errorHandling');
  return concerns;
}

function messageOf(out: OutboundCall, timeout: Presence, failure: UnhandledFailure | undefined, noErrorListener: boolean): string {
  const call = `\`${out.label}\``;
  const reaches = failure && `${failure.handlerLabel} unhandled${failure.via ? ` through \`${failure.via.name}\`` : ''}`;
  if (timeout === 'missing') {
    if (reaches) return `${call} to an external service has no timeout and its failure reaches ${reaches}: add a timeout and handle the error.`;
    if (noErrorListener) return `${call} to an external service has no timeout and no \`error\` listener: add a timeout and handle the \`error\` event, or a failed connection crashes the process.`;
    return `${call} to an external service has no timeout: ${TIMEOUT_HINT[out.client]}, so a hung upstream cannot hold the request and its socket.`;
  }
  if (reaches) return `The failure of ${call} to an external service reaches ${reaches}: catch it there, since Express 4 does not pass rejected promises to \`next\`.`;
  return `${call} to an external service has no \`error\` listener: handle the \`error\` event, or a failed connection crashes the process.`;
}
