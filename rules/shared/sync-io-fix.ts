// The fix for a blocking fs call written directly in an async request handler: the same
// operation from fs.promises, awaited. Offered only where `await` is legal at the call
// (its nearest function is the async handler) and the promise API takes the same
// arguments and yields the same value.
import type { ts } from 'ts-morph';
import type { Fix, RuleContext } from '../api';
import { originOf, skipOuter } from './callee';
import type { SyncIoCall } from './sync-io-calls';

// fs.promises members whose arguments and result match the *Sync call exactly
// (statSync is left out: its `throwIfNoEntry` option has no promise twin).
const PROMISE_TWINS = ['readFile', 'writeFile', 'appendFile', 'readdir', 'mkdir', 'rm', 'unlink', 'rename', 'copyFile', 'access'];

export function syncIoFix(ctx: RuleContext, found: SyncIoCall, handler: ts.FunctionLikeDeclaration): Fix | undefined {
  const { ts } = ctx;
  if (found.module !== 'fs') return undefined;
  const twin = found.name.replace(/Sync$/, '');
  if (!PROMISE_TWINS.includes(twin)) return undefined;
  if (!ts.getModifiers(handler as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return undefined;
  if (nearestFunction(ctx, found.call) !== handler) return undefined;
  const callee = promiseCallee(ctx, found.call, twin);
  if (!callee) return undefined;
  const { call } = found;
  const args = ctx.sourceFile.text.slice(call.expression.getEnd(), call.getEnd());
  const awaited = `await ${callee}${args}`;
  return {
    title: `Use ${callee} (awaited) instead of ${found.label}`,
    isPreferred: true,
    safe: true,
    edits: [{ fileName: ctx.fileName, start: call.getStart(), end: call.getEnd(), newText: needsParens(ctx, call) ? `(${awaited})` : awaited }],
  };
}

function nearestFunction(ctx: RuleContext, node: ts.Node): ts.Node | undefined {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) if (ctx.ts.isFunctionLike(p)) return p;
  return undefined;
}

/** `fsp.readFile` / `readFile` from an fs/promises import the file has, else `fs.promises.readFile` through the fs value called. */
function promiseCallee(ctx: RuleContext, call: ts.CallExpression, twin: string): string | undefined {
  const { ts } = ctx;
  for (const s of ctx.sourceFile.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || s.importClause?.isTypeOnly) continue;
    if (s.moduleSpecifier.text.replace(/^node:/, '') !== 'fs/promises') continue;
    const clause = s.importClause;
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) return `${bindings.name.text}.${twin}`;
    if (clause?.name) return `${clause.name.text}.${twin}`;
    if (bindings && ts.isNamedImports(bindings)) {
      const spec = bindings.elements.find((e) => !e.isTypeOnly && (e.propertyName ?? e.name).text === twin);
      if (spec) return spec.name.text;
    }
  }
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const origin = originOf(ctx, callee.expression);
  if (!origin || origin.module !== 'fs' || origin.members.length > 0 || origin.instance) return undefined;
  return `${callee.expression.getText()}.promises.${twin}`;
}

/** `await x` binds looser than member access and calls: `readFileSync(p).toString()` needs parentheses. */
function needsParens(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const p = call.parent;
  return (
    (ts.isPropertyAccessExpression(p) && p.expression === call) ||
    (ts.isElementAccessExpression(p) && p.expression === call) ||
    (ts.isCallExpression(p) && p.expression === call) ||
    ts.isNonNullExpression(p) ||
    ts.isTaggedTemplateExpression(p)
  );
}
