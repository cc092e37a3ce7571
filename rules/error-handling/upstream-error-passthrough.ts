// upstream-error-passthrough: a handler answers a failed call to another service
// with that service's own HTTP status (`res.status(err.response?.status ?? 500)`)
// or the body of its failed response (`res.status(r.status).json(await r.json())`):
// an upstream 401 or 404 becomes this API's, and the upstream's error body reaches
// the client. Messages, stacks and whole caught errors sent to clients are
// security/error-details-exposure's findings, not repeated here.
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { optionValue } from '../shared/outbound-http';
import { isKoaContext, serverOf } from '../shared/responses';
import { responseValueAt } from '../security/error-details-exposure/responses';
import { upstreamReadIn, type UpstreamRead } from './upstream-error-passthrough/upstream-values';

const STATUS_METHODS = new Set(['status', 'sendStatus', 'code', 'writeHead']);
const DEGRADED_BODY = "{ error: 'Upstream service unavailable' }";

export const rule: Rule = {
  id: 'upstream-error-passthrough',
  category: 'error-handling',
  cwe: [209, 755],
  defaultSeverity: 'warning',
  description: "A failed call to another service is answered with that service's own status or error body instead of a degraded answer of this API.",
  needsTypes: true,
  fixable: true,
  concerns: ['errorHandling'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ctx.isCancellationRequested()) return;
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) checkResponse(ctx, node);
      else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) checkStatusAssignment(ctx, node);
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

/** `res.status(x)` / `reply.code(x)` / `res.sendStatus(x)` on a server response: its status argument. */
function statusCall(ctx: RuleContext, e: ts.Expression): ts.CallExpression | undefined {
  const { ts } = ctx;
  const c = skipOuter(ts, e);
  if (!ts.isCallExpression(c) || !ts.isPropertyAccessExpression(c.expression) || !STATUS_METHODS.has(c.expression.name.text) || c.arguments.length === 0) return undefined;
  return serverOf(ctx, c.expression.expression) ? c : undefined;
}

/** The status call a body call is chained on (`res.status(s).json(b)`). */
function chainedStatus(ctx: RuleContext, call: ts.CallExpression): ts.CallExpression | undefined {
  return ctx.ts.isPropertyAccessExpression(call.expression) ? statusCall(ctx, call.expression.expression) : undefined;
}

/** The body call a status call is chained into, when there is one. */
function isChainedIntoBody(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const p = call.parent;
  return ts.isPropertyAccessExpression(p) && p.expression === call && ts.isCallExpression(p.parent) && responseValueAt(ctx, p.parent) !== undefined;
}

function checkResponse(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression): void {
  const { ts } = ctx;
  const body = responseValueAt(ctx, node);
  if (body && body.label.startsWith('new ') && !body.label.includes('Response')) return; // Nest exceptions: their message is error-details-exposure's.
  let statusArg: ts.Expression | undefined;
  let statusLabel = body?.label;
  const setter = body ? (ts.isCallExpression(node) ? chainedStatus(ctx, node) : undefined) : ts.isCallExpression(node) ? statusCall(ctx, node) : undefined;
  if (!body && (!setter || isChainedIntoBody(ctx, setter))) return;
  if (setter) {
    statusArg = setter.arguments[0];
    statusLabel = setter.expression.getText(ctx.sourceFile).replace(/\s+/g, '');
  }
  if (body && /Response/.test(body.label)) statusArg = optionValue(ctx, node.arguments?.[1], 'status');
  const status = statusArg && upstreamReadIn(ctx, statusArg, 'status', node);
  // A caught error's body is error-details-exposure's finding; a failed fetch response's body is ours.
  const sent = body && upstreamReadIn(ctx, body.value, 'body', node);
  if (!status && !sent) return;
  ctx.report({
    node: (status ?? sent)!.node,
    message: messageOf((sent ? body?.label : statusLabel) ?? 'the response', status, sent ?? undefined),
    fixes: () => degradedFix(ctx, node, statusArg, body?.value, status, sent ?? undefined),
  });
}

function checkStatusAssignment(ctx: RuleContext, node: ts.BinaryExpression): void {
  const { ts } = ctx;
  if (!ts.isPropertyAccessExpression(node.left)) return;
  const target = node.left.expression;
  const name = node.left.name.text;
  if (!((name === 'statusCode' && serverOf(ctx, target)) || (name === 'status' && isKoaContext(ctx, target)))) return;
  const status = upstreamReadIn(ctx, node.right, 'status', node);
  if (!status) return;
  ctx.report({
    node: status.node,
    message: messageOf(node.left.getText(ctx.sourceFile), status, undefined),
    fixes: () => [{ title: 'Answer 502', isPreferred: true, safe: false, edits: [replace(ctx, node.right, '502')] }],
  });
}

function messageOf(label: string, status: UpstreamRead | undefined, body: UpstreamRead | undefined): string {
  const s = status && `\`${status.node.getText()}\``;
  const b = body && `\`${body.node.getText()}\``;
  if (s && b) return `\`${label}\` answers with the failed upstream's status ${s} and body ${b}: its 401 or 404 becomes this API's and its error body reaches the client; answer 502 with a message of your own.`;
  if (s) return `\`${label}\` passes the upstream's HTTP status ${s} to the client: an upstream 401 or 404 becomes this API's own; answer 502 (or a fallback) instead.`;
  return `\`${label}\` sends the failed upstream response's body ${b} to the client: it describes the upstream's internals; answer 502 with a message of your own.`;
}

function replace(ctx: RuleContext, e: ts.Expression, text: string): FileEdit {
  return { fileName: ctx.fileName, start: e.getStart(ctx.sourceFile), end: e.getEnd(), newText: text };
}

/**
 * 502 for the status, a message of our own for the body (also a caught error's body sent beside
 * the status: the answer is replaced whole). A body without a status call stays 200 unless we add one.
 */
function degradedFix(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression, statusArg: ts.Expression | undefined, bodyValue: ts.Expression | undefined, status: UpstreamRead | undefined, body: UpstreamRead | undefined): Fix[] {
  const { ts } = ctx;
  const edits: FileEdit[] = [];
  if (statusArg) edits.push(replace(ctx, statusArg, '502'));
  const newBody = bodyValue && (body || (status && sendsCaughtError(ctx, bodyValue)));
  // A web `Response` takes text; `res.json`, `Response.json` and the rest serialise an object.
  if (newBody) edits.push(replace(ctx, bodyValue, ctx.ts.isNewExpression(node) ? "'Upstream service unavailable'" : DEGRADED_BODY));
  // `res.json(body)` answers 200: the degraded answer needs its status too.
  if (body && !statusArg && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const server = serverOf(ctx, node.expression.expression);
    const setter = server === 'express' ? '.status(502)' : server === 'fastify' ? '.code(502)' : undefined;
    if (!setter) return [];
    edits.push({ fileName: ctx.fileName, start: node.expression.expression.getEnd(), end: node.expression.expression.getEnd(), newText: setter });
  }
  if (edits.length === 0) return [];
  return [{ title: newBody ? 'Answer 502 with a message of your own' : 'Answer 502', isPreferred: true, safe: false, edits }];
}

/** The body reads the caught error (`err.response.data`, `err`): part of the same pass-through. */
function sendsCaughtError(ctx: RuleContext, value: ts.Expression): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isIdentifier(n)) {
      const decl = ctx.checker.getSymbolAtLocation(n)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && ts.isCatchClause(decl.parent)) found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(value);
  return found;
}
