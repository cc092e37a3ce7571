// Response headers set from code: Express `res.setHeader/set/header/append`, node's
// `writeHead` headers object, Fastify `reply.header`, Koa `ctx.set`. A sink is the
// header's name when it is not a constant, and the value of headers whose value has
// a structure input can extend (parameters after `;`, cookie attributes, links).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { constantString } from '../../shared/constant-values';
import type { Sink } from '../../taint';

/** What the sink is: the header's name, or the value of the header named. */
export type HeaderSink = { readonly form: 'name' } | { readonly form: 'value'; readonly header: string };

/** Headers whose value is a list of parameters or attributes: `;`/`,` in input adds its own. */
const STRUCTURED = new Set(['content-disposition', 'set-cookie', 'link', 'refresh', 'content-type']);
const RESPONSE_MODULES = new Set(['express', 'express-serve-static-core', 'http', 'node', 'fastify', 'koa']);
const SETTERS = new Set(['setHeader', 'set', 'header', 'append', 'writeHead', 'headers']);

export function headerSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return [];
  const method = node.expression.name.text;
  if (!SETTERS.has(method) || node.arguments.length === 0) return [];
  const target = resolveCall(ctx, node);
  if (!target?.module || !RESPONSE_MODULES.has(target.module) || !isResponseOwner(target.owner)) return [];
  const label = `${skipOuter(ts, node.expression.expression).getText()}.${method}`;
  if (method === 'writeHead') return objectSinks(ctx, node.arguments[node.arguments.length - 1], label);
  const [name, value] = node.arguments;
  if (node.arguments.length === 1) return objectSinks(ctx, name, label);
  return pairSinks(ctx, name, value, label);
}

/** Methods of request objects share names (`req.get`, `ctx.get`): only response-side owners. */
function isResponseOwner(owner: string | undefined): boolean {
  return owner === undefined || /Response|Reply|OutgoingMessage|Context|BaseContext|ServerResponse/.test(owner);
}

function pairSinks(ctx: RuleContext, name: ts.Expression, value: ts.Expression | undefined, label: string): Sink[] {
  const constant = constantString(ctx, name);
  if (constant === undefined) return [{ expr: name, label, data: { form: 'name' } satisfies HeaderSink }];
  return value && STRUCTURED.has(constant.toLowerCase()) ? [{ expr: value, label, data: { form: 'value', header: constant } satisfies HeaderSink }] : [];
}

function objectSinks(ctx: RuleContext, arg: ts.Expression | undefined, label: string): Sink[] {
  const { ts } = ctx;
  const obj = arg && skipOuter(ts, arg);
  if (!obj || !ts.isObjectLiteralExpression(obj)) return [];
  const out: Sink[] = [];
  for (const p of obj.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const name = ts.isComputedPropertyName(p.name) ? p.name.expression : undefined;
    const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
    if (name && constantString(ctx, name) === undefined) out.push({ expr: name, label, data: { form: 'name' } satisfies HeaderSink });
    else if (key && STRUCTURED.has(key.toLowerCase())) out.push({ expr: p.initializer, label, data: { form: 'value', header: key } satisfies HeaderSink });
  }
  return out;
}
