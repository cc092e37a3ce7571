// Whether a client reacts when the server rejects an expired token: an axios response
// interceptor with an error handler on the same instance, or, in the module, a 401 check
// (`status === 401`, `case 401`, `[401, 403].includes(…)`, `HttpStatusCode.Unauthorized`) or a
// `!res.ok` branch that does more than throw (refreshes, redirects, signs out).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { symbolOf } from '../../shared/outbound-http';
import { isLibraryDefault } from '../../shared/outbound-http/clients';
import { skipOuter } from '../../shared/callee';
import type { ClientKey } from './bearer-sites';
import { interceptorReceiver } from './bearer-sites';

const UNAUTHORIZED_NAMES = new Set(['Unauthorized', 'UNAUTHORIZED']);
const PASSIVE_CALLEES = new Set(['console', 'JSON', 'Promise', 'String', 'Number']);

/** True when an axios response interceptor with an error handler is installed on the client in one of `files`. */
export function hasResponseInterceptor(ctx: RuleContext, key: ClientKey, files: readonly ts.SourceFile[]): boolean {
  const { ts } = ctx;
  if (key === 'fetch') return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && n.arguments.length >= 2) {
      const receiver = interceptorReceiver(ctx, n, 'response');
      if (receiver && sameClient(ctx, receiver, key)) found = true;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  for (const sf of files) visit(sf);
  return found;
}

function sameClient(ctx: RuleContext, receiver: ts.Expression, key: Exclude<ClientKey, 'fetch'>): boolean {
  if (key === 'axios-default') return isLibraryDefault(ctx, receiver, 'axios');
  return symbolOf(ctx, skipOuter(ctx.ts, receiver)) === key;
}

/** A 401 check or a reacting `!res.ok` branch anywhere in the module. */
export function checksUnauthorized(ctx: RuleContext, sf: ts.SourceFile): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isNumericLiteral(n) && n.text === '401' && isCompared(ctx, n)) found = true;
    else if (ts.isPropertyAccessExpression(n) && UNAUTHORIZED_NAMES.has(n.name.text)) found = true;
    else if (ts.isIfStatement(n) && readsOk(ctx, n.expression) && reacts(ctx, n.thenStatement)) found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function isCompared(ctx: RuleContext, lit: ts.NumericLiteral): boolean {
  const { ts } = ctx;
  const p = lit.parent;
  if (ts.isCaseClause(p) || ts.isArrayLiteralExpression(p)) return true;
  if (!ts.isBinaryExpression(p)) return false;
  const op = p.operatorToken.kind;
  return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
}

function readsOk(ctx: RuleContext, cond: ts.Expression): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'ok') found = true;
    else ts.forEachChild(n, visit);
  };
  visit(cond);
  return found;
}

/** The branch redirects or calls something beyond building and throwing an error. */
function reacts(ctx: RuleContext, branch: ts.Statement): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isThrowStatement(n) || ts.isNewExpression(n)) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && writesLocation(ctx, n.left)) found = true;
    else if (ts.isCallExpression(n) && !isPassiveCall(ctx, n)) found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(branch);
  return found;
}

/** `window.location.href = …`, `location.href = …`: a redirect to the login page. */
function writesLocation(ctx: RuleContext, left: ts.Expression): boolean {
  const { ts } = ctx;
  for (let e: ts.Expression = left; ; e = e.expression) {
    if (ts.isIdentifier(e)) return e.text === 'location';
    if (!ts.isPropertyAccessExpression(e)) return false;
    if (e.name.text === 'location') return true;
  }
}

/** console.*, JSON.*, Promise.reject, and reading the response's body (`res.json()`, `res.text()`). */
function isPassiveCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (ts.isIdentifier(callee)) return PASSIVE_CALLEES.has(callee.text);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  if (['json', 'text', 'blob', 'arrayBuffer', 'formData'].includes(callee.name.text)) return true;
  let root: ts.Expression = callee.expression;
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  return ts.isIdentifier(root) && PASSIVE_CALLEES.has(root.text);
}
