// Values a server sends to the client: Express/node/Fastify `send`/`json`/`jsonp`/`end`/
// `write`, Koa `ctx.body = …`, web `Response.json(…)`/`new Response(…)` (Next route
// handlers), and the message of a Nest HTTP exception (Nest sends it as the body).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { isLibFile, originOf, resolveCall, skipOuter } from '../../shared/callee';
import { isKoaContext, rootOf, serverOf } from '../../shared/responses';

export interface ResponseValue {
  readonly value: ts.Expression;
  /** How to name the sink: `res.json`, `ctx.body`, `NextResponse.json`. */
  readonly label: string;
}

const BODY_METHODS = new Set(['send', 'json', 'jsonp', 'end', 'write']);

export function responseValueAt(ctx: RuleContext, node: ts.Node): ResponseValue | undefined {
  const { ts } = ctx;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments.length > 0) {
    const callee = node.expression;
    const method = callee.name.text;
    if (BODY_METHODS.has(method) && serverOf(ctx, callee.expression)) return { value: node.arguments[0], label: `${rootOf(ctx, callee.expression)?.text ?? 'res'}.${method}` };
    if (method === 'json' && ts.isIdentifier(callee.expression) && isWebResponseClass(ctx, callee.expression)) return { value: node.arguments[0], label: `${callee.expression.text}.json` };
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'body' && isKoaContext(ctx, node.left.expression)) {
    return { value: node.right, label: `${node.left.expression.getText()}.body` };
  }
  if (ts.isNewExpression(node) && node.arguments?.length && ts.isIdentifier(node.expression)) {
    if (isWebResponseClass(ctx, node.expression)) return { value: node.arguments[0], label: `new ${node.expression.text}` };
    const target = resolveCall(ctx, node);
    if (target?.module === '@nestjs/common' && /Exception$/.test(target.name)) return { value: node.arguments[0], label: `new ${target.name}` };
  }
  return undefined;
}

/** The web platform's `Response` (a global) or Next's `NextResponse`. */
function isWebResponseClass(ctx: RuleContext, id: ts.Identifier): boolean {
  if (id.text === 'NextResponse') return originOf(ctx, id)?.module === 'next';
  if (id.text !== 'Response') return false;
  const decls = ctx.checker.getSymbolAtLocation(id)?.declarations ?? [];
  return decls.some((d) => isLibFile(d.getSourceFile().fileName) || d.getSourceFile().fileName.includes('/undici-types/'));
}

/** True when `node` sits under a condition on the environment or on the kind of error (the app decides what is public). */
export function isUnderDeliberateCondition(ctx: RuleContext, node: ts.Node, error: ts.Node | undefined): boolean {
  const { ts } = ctx;
  for (let n: ts.Node = node; n.parent && !ts.isFunctionLike(n); n = n.parent) {
    const p = n.parent;
    const condition = ts.isIfStatement(p) && p.expression !== n ? p.expression : ts.isConditionalExpression(p) && p.condition !== n ? p.condition : ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ? p.left : undefined;
    if (condition && mentionsDeliberateTest(ctx, condition, error)) return true;
  }
  return false;
}

function mentionsDeliberateTest(ctx: RuleContext, condition: ts.Expression, error: ts.Node | undefined): boolean {
  const { ts } = ctx;
  const errorSymbol = error && ts.isIdentifier(error) ? ctx.checker.getSymbolAtLocation(error) : undefined;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    // process.env.NODE_ENV, app.get('env'), config.isProduction-style flags read from the environment.
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'NODE_ENV') found = true;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'get' && n.arguments[0] && ts.isStringLiteral(n.arguments[0]) && n.arguments[0].text === 'env') found = true;
    // err instanceof AppError, err.expose, err.status / statusCode checks: the app sorts its errors.
    if (errorSymbol && ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && ts.isIdentifier(skipOuter(ts, n.left)) && ctx.checker.getSymbolAtLocation(skipOuter(ts, n.left)) === errorSymbol) {
      const cls = skipOuter(ts, n.right);
      found = !(ts.isIdentifier(cls) && cls.text === 'Error');
    }
    if (errorSymbol && ts.isPropertyAccessExpression(n) && ['expose', 'status', 'statusCode', 'isOperational', 'code'].includes(n.name.text) && ts.isIdentifier(skipOuter(ts, n.expression)) && ctx.checker.getSymbolAtLocation(skipOuter(ts, n.expression)) === errorSymbol) found = true;
    ts.forEachChild(n, visit);
  };
  visit(condition);
  return found;
}
