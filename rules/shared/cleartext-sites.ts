// Where a URL becomes a connection: the URL argument of an outgoing request (fetch,
// undici, node http/https, axios, got, ky, superagent), a client's base URL (`axios.create
// ({ baseURL })`, `got.extend({ prefixUrl })`, a request's own `baseURL`), and the address of
// a socket or connection pool (`new WebSocket(url)`, undici `new Client(url)`). Decided by what
// the call resolves to (outbound-http.ts, callee.ts), never by names.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from './callee';
import { constantString } from './constant-values';
import { isClientValue, optionValue, outboundCall } from './outbound-http';

export interface UrlSite {
  /** The expression holding the URL. */
  readonly url: ts.Expression;
  /** How the code names what connects: `fetch`, `api.get`, `axios.create`, `new WebSocket`. */
  readonly label: string;
  /** A client's base URL option (`baseURL`, `prefixUrl`): every request of the client goes there. */
  readonly baseOption?: string;
  /** node's `http` module: an `https://` URL alone would make it throw, so the fix must change the module too. */
  readonly plainHttpModule: boolean;
}

/** `http.request({ hostname: 'api.example.com' })`: a plain-HTTP request described by options. */
export interface HostSite {
  readonly option: ts.Expression;
  readonly hostname: string;
  readonly label: string;
}

const KY_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'];
const SUPERAGENT_METHODS = ['get', 'post', 'put', 'patch', 'del', 'delete', 'head', 'options'];

/** The URLs `node` connects to. */
export function urlSites(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression): UrlSite[] {
  const { ts } = ctx;
  if (ts.isNewExpression(node)) return socketSite(ctx, node);
  const out = outboundCall(ctx, node);
  if (out) {
    const plainHttpModule = out.client === 'node-http' && resolveCall(ctx, node)?.module === 'http';
    const sites: UrlSite[] = out.url ? [{ url: out.url, label: out.label, plainHttpModule }] : [];
    const baseOption = out.client === 'axios' ? 'baseURL' : out.client === 'got' ? 'prefixUrl' : undefined;
    const base = baseOption && optionValue(ctx, out.options, baseOption);
    if (base && baseOption) sites.push({ url: base, label: out.label, baseOption, plainHttpModule: false });
    return sites;
  }
  return [...clientFactorySite(ctx, node), ...untypedClientSite(ctx, node)];
}

/** node `http.request({ hostname })` / `http.get({ host })` to a constant host, without a URL. */
export function plainHttpHostSite(ctx: RuleContext, call: ts.CallExpression): HostSite | undefined {
  const out = outboundCall(ctx, call);
  if (!out || out.client !== 'node-http' || out.url || !out.options) return undefined;
  if (resolveCall(ctx, call)?.module !== 'http') return undefined;
  const protocol = optionValue(ctx, out.options, 'protocol');
  if (protocol && constantString(ctx, protocol)?.toLowerCase() !== 'http:') return undefined;
  for (const key of ['hostname', 'host']) {
    const option = optionValue(ctx, out.options, key);
    const host = option && constantString(ctx, option);
    const hostname = host && hostnameOf(host);
    if (option && hostname) return { option, hostname, label: out.label };
  }
  return undefined;
}

/** `axios.create({ baseURL })`, `got.extend({ prefixUrl })`, `ky.create({ prefixUrl })`. */
function clientFactorySite(ctx: RuleContext, call: ts.CallExpression): UrlSite[] {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const method = callee.name.text;
  let option: string | undefined;
  if (method === 'create' && isClientValue(ctx, callee.expression, 'axios')) option = 'baseURL';
  else if (method === 'extend' && isClientValue(ctx, callee.expression, 'got')) option = 'prefixUrl';
  else if ((method === 'create' || method === 'extend') && isUntypedDefault(ctx, callee.expression, 'ky')) option = 'prefixUrl';
  const url = option && optionValue(ctx, call.arguments[0], option);
  return url && option ? [{ url, label: labelOf(ctx, callee), baseOption: option, plainHttpModule: false }] : [];
}

/** ky and superagent calls, followed to their import (their types are rarely installed). */
function untypedClientSite(ctx: RuleContext, call: ts.CallExpression): UrlSite[] {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const direct = ts.isIdentifier(callee) ? callee : undefined;
  const member = ts.isPropertyAccessExpression(callee) ? callee : undefined;
  const label = labelOf(ctx, callee);
  const site = (url: ts.Expression | undefined): UrlSite[] => (url ? [{ url, label, plainHttpModule: false }] : []);
  if (direct && isUntypedDefault(ctx, direct, 'ky')) return site(call.arguments[0]);
  if (member && KY_METHODS.includes(member.name.text) && isUntypedDefault(ctx, member.expression, 'ky')) return site(call.arguments[0]);
  if (direct && isUntypedDefault(ctx, direct, 'superagent')) return site(call.arguments.length >= 2 ? call.arguments[1] : call.arguments[0]);
  if (member && SUPERAGENT_METHODS.includes(member.name.text) && isUntypedDefault(ctx, member.expression, 'superagent')) return site(call.arguments[0]);
  return [];
}

/** The package's default export (or CommonJS module value) itself, by import. */
function isUntypedDefault(ctx: RuleContext, expr: ts.Expression, pkg: string): boolean {
  const e = skipOuter(ctx.ts, expr);
  if (!ctx.ts.isIdentifier(e)) return false;
  const origin = originOf(ctx, e);
  return !!origin && origin.module === pkg && !origin.instance && origin.members.length === 0 && origin.exportPath.every((p) => p === 'default');
}

/** `new WebSocket(url)` (global or the `ws` package), undici `new Client(url)` / `new Pool(url)`, `new EventSource(url)`. */
function socketSite(ctx: RuleContext, node: ts.NewExpression): UrlSite[] {
  const url = node.arguments?.[0];
  if (!url) return [];
  const target = resolveCall(ctx, node);
  if (!target) return [];
  // The declared name: `import WS from 'ws'` is still ws's WebSocket.
  const decl = target.declaration;
  const name = decl && (ctx.ts.isClassDeclaration(decl) || ctx.ts.isVariableDeclaration(decl) || ctx.ts.isInterfaceDeclaration(decl)) && decl.name && ctx.ts.isIdentifier(decl.name) ? decl.name.text : target.name;
  const connects =
    (name === 'WebSocket' && (target.isGlobal || target.module === 'ws')) ||
    (name === 'EventSource' && target.isGlobal) ||
    (target.module === 'undici' && ['Client', 'Pool', 'BalancedPool', 'WebSocket', 'EventSource'].includes(name));
  return connects ? [{ url, label: `new ${labelOf(ctx, node.expression)}`, plainHttpModule: false }] : [];
}

/** `127.0.0.1:8080` → `127.0.0.1`, normalised as WHATWG URL does (`[::1]`, lower case). */
function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}/`).hostname || undefined;
  } catch {
    return undefined;
  }
}

function labelOf(ctx: RuleContext, callee: ts.Expression): string {
  const text = callee.getText(ctx.sourceFile).replace(/\s+/g, '');
  if (text.length <= 40) return text;
  return ctx.ts.isPropertyAccessExpression(callee) ? callee.name.text : 'the call';
}
