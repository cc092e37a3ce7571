// Where a catch answers the client with a failure: `res.status(500).json(…)`,
// `res.sendStatus(502)`, `reply.code(500).send(…)`, `res.json({ error })`,
// `Response.json(…, { status: 500 })` / NextResponse in a Next route, `ctx.status = 500`
// on a Koa context. Decided by what the receiver is (its declared type, a route
// handler's response parameter), never by its name. 4xx answers are the client's fault
// and are left alone.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { enclosingHandler } from '../../shared/http';
import { isKoaContext, rootOf, serverOf, type Server } from '../../shared/responses';

export interface ErrorAnswer {
  /** The node to underline: the whole response call or assignment. */
  readonly node: ts.Node;
  /** Short text naming the answer, for the message. */
  readonly shown: string;
}

const STATUS_SETTERS = new Set(['status', 'code', 'sendStatus', 'writeHead']);
const BODY_SENDERS = new Set(['json', 'send', 'end', 'jsonp']);
/** Keys of a body that reports a failure when no status says so (`res.json({ error })`). */
const ERROR_BODY_KEYS = new Set(['error', 'errors', 'err']);
const WEB_RESPONSE_MODULES = new Set(['next', 'undici-types', 'undici']);

/** The failure answers the block makes itself (nested functions excluded). */
export function errorAnswersIn(ctx: RuleContext, block: ts.Node): ErrorAnswer[] {
  const { ts } = ctx;
  const out: ErrorAnswer[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== block && ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && isOutermostOfChain(ts, node)) {
      const answer = serverAnswer(ctx, node) ?? webAnswer(ctx, node, block);
      if (answer) {
        out.push(answer);
        return;
      }
    } else if (ts.isNewExpression(node)) {
      const answer = webAnswer(ctx, node, block);
      if (answer) out.push(answer);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const answer = koaAnswer(ctx, node);
      if (answer) out.push(answer);
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return out;
}

/** True when the call is a response call of a server (`res.…(…)`), whatever its status. */
export function isResponseCall(ctx: RuleContext, call: ts.CallExpression): Server | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const root = rootOf(ctx, callee);
  return root ? serverOf(ctx, root) : undefined;
}

function isOutermostOfChain(ts: RuleContext['ts'], call: ts.CallExpression): boolean {
  const p = call.parent;
  return !(ts.isPropertyAccessExpression(p) && p.expression === call && ts.isCallExpression(p.parent) && p.parent.expression === p);
}

/** `res.status(500).json(…)`, `res.sendStatus(503)`, `reply.code(500).send()`, `res.json({ error })`. */
function serverAnswer(ctx: RuleContext, call: ts.CallExpression): ErrorAnswer | undefined {
  const { ts } = ctx;
  if (!isResponseCall(ctx, call)) return undefined;
  let statusSet: ts.Expression | undefined;
  let body: ts.Expression | undefined;
  let sender = false;
  // Walk the chain from the outermost call inwards.
  for (let e: ts.Expression = skipOuter(ts, call); ts.isCallExpression(e); ) {
    const callee = skipOuter(ts, e.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    const method = callee.name.text;
    if (STATUS_SETTERS.has(method) && e.arguments[0]) statusSet = e.arguments[0];
    if (BODY_SENDERS.has(method) || method === 'sendStatus') {
      sender = true;
      body = e.arguments[0];
    }
    e = skipOuter(ts, callee.expression);
  }
  if (statusSet) return isServerErrorStatus(ctx, statusSet) ? { node: call, shown: shorten(ctx, call) } : undefined;
  return sender && body && hasErrorBody(ctx, body) ? { node: call, shown: shorten(ctx, call) } : undefined;
}

/** `Response.json(body, { status: 500 })`, `new Response(text, { status: 502 })`, NextResponse alike, in a Next route. */
function webAnswer(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, block: ts.Node): ErrorAnswer | undefined {
  const { ts } = ctx;
  const target = resolveCall(ctx, call);
  if (!target) return undefined;
  const isWeb = target.isGlobal || (!!target.module && WEB_RESPONSE_MODULES.has(target.module));
  if (!isWeb) return undefined;
  const callee = skipOuter(ts, call.expression);
  const isNew = ts.isNewExpression(call);
  const ok = isNew
    ? ['Response', 'NextResponse'].includes(target.name)
    : ts.isPropertyAccessExpression(callee) && callee.name.text === 'json' && ts.isIdentifier(callee.expression) && ['Response', 'NextResponse'].includes(callee.expression.text);
  if (!ok || enclosingHandler(ctx, block)?.framework !== 'next') return undefined;
  const init = call.arguments?.[1] && skipOuter(ts, call.arguments[1]);
  if (!init || !ts.isObjectLiteralExpression(init)) return undefined;
  const status = init.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText(ctx.sourceFile) === 'status');
  return status && ts.isPropertyAssignment(status) && isServerErrorStatus(ctx, status.initializer) ? { node: call, shown: shorten(ctx, call) } : undefined;
}

/** `ctx.status = 500` / `ctx.response.status = 500` on a Koa context. */
function koaAnswer(ctx: RuleContext, assignment: ts.BinaryExpression): ErrorAnswer | undefined {
  const { ts } = ctx;
  const left = skipOuter(ts, assignment.left);
  if (!ts.isPropertyAccessExpression(left) || left.name.text !== 'status') return undefined;
  if (!isKoaContext(ctx, left.expression) || !isServerErrorStatus(ctx, assignment.right)) return undefined;
  return { node: assignment, shown: shorten(ctx, assignment) };
}

/** A status that is (or may be, on one branch) 5xx: `500`, `HttpStatus.INTERNAL_SERVER_ERROR`, `err.status ?? 500`. */
function isServerErrorStatus(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isExpression(node) && numericValues(ctx, node).some((v) => v >= 500 && v <= 599)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(skipOuter(ts, expr));
  return found;
}

function numericValues(ctx: RuleContext, expr: ts.Expression): number[] {
  const { ts } = ctx;
  if (ts.isNumericLiteral(expr)) return [Number(expr.text)];
  if (!ts.isIdentifier(expr) && !ts.isPropertyAccessExpression(expr)) return [];
  const type = ctx.checker.getTypeAtLocation(expr);
  return (type.isUnion() ? type.types : [type]).filter((t) => t.isNumberLiteral()).map((t) => (t as ts.NumberLiteralType).value);
}

/** `{ error: … }`, `{ errors }`: a body that reports a failure while the status says 200. */
function hasErrorBody(ctx: RuleContext, body: ts.Expression): boolean {
  const { ts } = ctx;
  const b = skipOuter(ts, body);
  if (!ts.isObjectLiteralExpression(b)) return false;
  return b.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && ERROR_BODY_KEYS.has(p.name.getText(ctx.sourceFile)));
}

/** `res.status(500).json(…)`, `Response.json(…)`, `ctx.status = 500`: the answer named by its shape, not its arguments. */
function shorten(ctx: RuleContext, node: ts.Node): string {
  const { ts } = ctx;
  const show = (e: ts.Expression): string => {
    const x = skipOuter(ts, e);
    if (ts.isIdentifier(x) || x.kind === ts.SyntaxKind.ThisKeyword) return x.getText(ctx.sourceFile);
    if (ts.isPropertyAccessExpression(x)) return `${show(x.expression)}.${x.name.text}`;
    if (ts.isCallExpression(x) || ts.isNewExpression(x)) {
      const args = x.arguments ?? [];
      const shownArgs = args.length === 0 ? '' : args.length === 1 && ts.isNumericLiteral(args[0]) ? args[0].text : '…';
      return `${ts.isNewExpression(x) ? 'new ' : ''}${show(x.expression)}(${shownArgs})`;
    }
    return '…';
  };
  if (ts.isBinaryExpression(node)) return `${show(node.left)} = ${node.right.getText(ctx.sourceFile).slice(0, 30)}`;
  return show(node as ts.Expression);
}
