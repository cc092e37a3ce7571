// Where browser code attaches a bearer token, and through which client the request goes:
// an `Authorization: `Bearer ${token}`` header in an axios instance's config, its defaults, a
// request interceptor, an axios call's config, or the headers of a `fetch` made in the same
// function. Static keys (`process.env.X`, literals) are service credentials, not user tokens.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { isClientValue, outboundCall, symbolOf } from '../../shared/outbound-http';
import { isLibraryDefault } from '../../shared/outbound-http/clients';

export type ClientKey = ts.Symbol | 'axios-default' | 'fetch';

export interface BearerSite {
  /** The header being set: the property, assignment or `headers.set(…)` call. */
  readonly node: ts.Node;
  readonly key: ClientKey;
  /** How the message names the client: `api`, `axios`, `fetch`. */
  readonly label: string;
}

export function findBearerSites(ctx: RuleContext): BearerSite[] {
  const { ts } = ctx;
  const out: BearerSite[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isTemplateExpression(node) || ts.isBinaryExpression(node)) && isUserBearer(ctx, node)) {
      const site = siteOf(ctx, node);
      if (site) out.push(site);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return out;
}

/** `Bearer ${token}` / 'Bearer ' + token, where the token is not a constant or an env variable. */
function isUserBearer(ctx: RuleContext, node: ts.TemplateExpression | ts.BinaryExpression): boolean {
  const { ts } = ctx;
  let head: string;
  let parts: ts.Expression[];
  if (ts.isTemplateExpression(node)) {
    head = node.head.text;
    parts = node.templateSpans.map((s) => s.expression);
  } else {
    if (node.operatorToken.kind !== ts.SyntaxKind.PlusToken || !ts.isStringLiteralLike(node.left)) return false;
    head = node.left.text;
    parts = [node.right];
  }
  if (!/^bearer\s+$/i.test(head) || parts.length !== 1) return false;
  return !isStaticValue(ctx, parts[0]);
}

function isStaticValue(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isStringLiteralLike(x)) return true;
  // process.env.API_KEY, import.meta.env.VITE_KEY
  let root: ts.Expression = x;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) {
    if (ts.isPropertyAccessExpression(root) && root.name.text === 'env') return true;
    root = root.expression;
  }
  return false;
}

function isAuthorizationName(ctx: RuleContext, name: ts.Node): boolean {
  const { ts } = ctx;
  const text = ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
  return text?.toLowerCase() === 'authorization';
}

function siteOf(ctx: RuleContext, value: ts.Expression): BearerSite | undefined {
  const { ts } = ctx;
  const parent = value.parent;
  // { Authorization: `Bearer ${t}` }
  if (ts.isPropertyAssignment(parent) && parent.initializer === value && isAuthorizationName(ctx, parent.name)) {
    return clientOfHeaderObject(ctx, parent.parent, parent);
  }
  // x.headers.Authorization = …, api.defaults.headers.common['Authorization'] = …
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === value) {
    const left = skipOuter(ts, parent.left);
    const name = ts.isPropertyAccessExpression(left) ? left.name : ts.isElementAccessExpression(left) ? left.argumentExpression : undefined;
    if (!name || !isAuthorizationName(ctx, name)) return undefined;
    return clientOfDefaults(ctx, left, parent) ?? clientAround(ctx, parent, parent);
  }
  // headers.set('Authorization', …)
  if (ts.isCallExpression(parent) && parent.arguments[1] === value && parent.arguments[0] && isAuthorizationName(ctx, parent.arguments[0])) {
    const callee = skipOuter(ts, parent.expression);
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'set' || callee.name.text === 'append')) return clientAround(ctx, parent, parent);
  }
  return undefined;
}

function clientOfHeaderObject(ctx: RuleContext, headers: ts.ObjectLiteralExpression, site: ts.Node): BearerSite | undefined {
  const { ts } = ctx;
  const holder = headers.parent;
  if (ts.isPropertyAssignment(holder) && holder.initializer === headers && ts.isObjectLiteralExpression(holder.parent)) {
    const config = holder.parent;
    const call = config.parent;
    if (ts.isCallExpression(call) && call.arguments.includes(config)) {
      const created = axiosCreation(ctx, call, site);
      if (created) return created;
      const out = outboundCall(ctx, call);
      if (out) return out.client === 'fetch' ? { node: site, key: 'fetch', label: 'fetch' } : out.client === 'axios' && out.receiver ? axiosClient(ctx, out.receiver, site) : undefined;
    }
  }
  return clientAround(ctx, headers, site);
}

/** `const api = axios.create({ headers: { Authorization } })`. */
function axiosCreation(ctx: RuleContext, call: ts.CallExpression, site: ts.Node): BearerSite | undefined {
  const { ts } = ctx;
  const target = resolveCall(ctx, call);
  if (target?.module !== 'axios' || target.name !== 'create') return undefined;
  const decl = call.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  return symbol && { node: site, key: symbol, label: decl.name.text };
}

function axiosClient(ctx: RuleContext, receiver: ts.Expression, site: ts.Node): BearerSite | undefined {
  if (isLibraryDefault(ctx, receiver, 'axios')) return { node: site, key: 'axios-default', label: 'axios' };
  const symbol = symbolOf(ctx, skipOuter(ctx.ts, receiver));
  return symbol && { node: site, key: symbol, label: receiver.getText(ctx.sourceFile) };
}

/** `api.defaults.headers.common.Authorization = …`. */
function clientOfDefaults(ctx: RuleContext, left: ts.Expression, site: ts.Node): BearerSite | undefined {
  const { ts } = ctx;
  let e: ts.Expression = left;
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'defaults' && isClientValue(ctx, e.expression, 'axios')) return axiosClient(ctx, e.expression, site);
    e = e.expression;
  }
  return undefined;
}

/** Inside `X.interceptors.request.use(…)` → X; inside a function that calls `fetch` → fetch. */
function clientAround(ctx: RuleContext, from: ts.Node, site: ts.Node): BearerSite | undefined {
  const { ts } = ctx;
  for (let n: ts.Node | undefined = from.parent; n; n = n.parent) {
    if (ts.isCallExpression(n)) {
      const receiver = interceptorReceiver(ctx, n, 'request');
      if (receiver) return axiosClient(ctx, receiver, site);
    }
    if (ts.isFunctionLike(n) && callsFetch(ctx, n)) return { node: site, key: 'fetch', label: 'fetch' };
  }
  return undefined;
}

/** X of `X.interceptors.<kind>.use(…)` when X is an axios client. */
export function interceptorReceiver(ctx: RuleContext, call: ts.CallExpression, kind: 'request' | 'response'): ts.Expression | undefined {
  const { ts } = ctx;
  const use = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(use) || use.name.text !== 'use') return undefined;
  const k = use.expression;
  if (!ts.isPropertyAccessExpression(k) || k.name.text !== kind) return undefined;
  const i = k.expression;
  if (!ts.isPropertyAccessExpression(i) || i.name.text !== 'interceptors') return undefined;
  return isClientValue(ctx, i.expression, 'axios') ? i.expression : undefined;
}

function callsFetch(ctx: RuleContext, fn: ts.Node): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && outboundCall(ctx, n)?.client === 'fetch') found = true;
    else ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}
