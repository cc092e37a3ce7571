// What counts as "external": a request to another host. Relative URLs (a browser
// page's own origin, or an instance's base URL), loopback hosts and the incoming
// request's own address are local; a URL computed from configuration is unknown.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { isRequestObject } from '../../shared/http';
import { clientSource, optionValue, symbolOf, type OutboundCall } from '../../shared/outbound-http';
import { constantString } from '../../shared/constant-values';

export type Destination = 'local' | 'external' | 'unknown';

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1|0\.0\.0\.0)$/i;
const MAX_DEPTH = 6;

/**
 * Where the request goes: 'local' for a relative URL (the page's own origin in a
 * browser) or a loopback host, 'external' for another host, 'unknown' when the URL
 * is computed from something we cannot read (configuration, a parameter).
 */
export function destinationOf(ctx: RuleContext, out: OutboundCall): Destination {
  if (out.client === 'node-http' && !out.url) {
    // http.request({ hostname, path }): no host means localhost.
    const o = out.options && skipOuter(ctx.ts, out.options);
    if (!o || !ctx.ts.isObjectLiteralExpression(o) || o.properties.some((p) => ctx.ts.isSpreadAssignment(p))) return 'unknown';
    const host = optionValue(ctx, o, 'hostname') ?? optionValue(ctx, o, 'host');
    if (!host) return 'local';
    const h = constantString(ctx, host);
    return h === undefined ? 'unknown' : LOOPBACK.test(h.replace(/:\d+$/, '')) ? 'local' : 'external';
  }
  const base = out.receiver && (out.client === 'axios' || out.client === 'got') ? baseUrlOf(ctx, out) : undefined;
  const url = out.url ? classifyUrl(ctx, out.url, 0) : 'unknown';
  if (url === 'local' && base) return base;
  return url;
}

/** The `baseURL`/`prefixUrl` of the instance a relative URL is resolved against. */
function baseUrlOf(ctx: RuleContext, out: OutboundCall): Destination | undefined {
  const source = clientSource(ctx, out.receiver!, out.client === 'axios' ? 'axios' : 'got');
  if (source.kind === 'unknown') return 'unknown';
  if (source.kind === 'default') return undefined;
  for (const config of source.creation.arguments) {
    const value = optionValue(ctx, config, out.client === 'axios' ? 'baseURL' : 'prefixUrl');
    if (value) return classifyUrl(ctx, value, 0);
  }
  return undefined;
}

function classifyUrl(ctx: RuleContext, expr: ts.Expression, depth: number): Destination {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH) return 'unknown';
  const text = constantString(ctx, e);
  if (text !== undefined) return classifyText(text);
  if (ts.isTemplateExpression(e)) {
    if (e.head.text) return classifyText(e.head.text, true);
    return classifyUrl(ctx, e.templateSpans[0].expression, depth + 1);
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return classifyUrl(ctx, e.left, depth + 1);
  if (ts.isNewExpression(e) && e.arguments && e.arguments.length > 0) {
    // new URL(path, base): the base decides the host.
    return classifyUrl(ctx, e.arguments[e.arguments.length > 1 ? 1 : 0], depth + 1);
  }
  if (isOwnOrigin(ctx, e) || isPublicEnv(ctx, e)) return 'local';
  if (ts.isIdentifier(e)) {
    const decl = symbolOf(ctx, e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.parent.flags & ts.NodeFlags.Const) return classifyUrl(ctx, decl.initializer, depth + 1);
  }
  return 'unknown';
}

// Build tools inline these into browser bundles: a URL read from one is the front end's API.
const PUBLIC_ENV_PREFIXES = ['NEXT_PUBLIC_', 'VITE_', 'REACT_APP_', 'EXPO_PUBLIC_', 'VUE_APP_', 'NUXT_PUBLIC_', 'GATSBY_'];

/** `process.env.NEXT_PUBLIC_API_URL`, `import.meta.env.VITE_API_URL`. */
function isPublicEnv(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isPropertyAccessExpression(e) || !PUBLIC_ENV_PREFIXES.some((p) => e.name.text.startsWith(p))) return false;
  const env = e.expression;
  if (!ts.isPropertyAccessExpression(env) || env.name.text !== 'env') return false;
  return ts.isMetaProperty(env.expression) || (ts.isIdentifier(env.expression) && env.expression.text === 'process');
}

const OWN_ORIGIN_MEMBERS = ['url', 'originalUrl', 'nextUrl', 'origin', 'protocol', 'hostname', 'host'];

/** `req.url`, `request.nextUrl.origin`, `req.get('host')`: the address this server was called at. */
function isOwnOrigin(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  // req.get('host') / req.header('host')
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['get', 'header'].includes(e.expression.name.text)) {
    const arg = e.arguments[0];
    return !!arg && ts.isStringLiteralLike(arg) && arg.text.toLowerCase() === 'host' && isRequestObject(ctx, e.expression.expression);
  }
  let n: ts.Expression = e;
  let firstMember: string | undefined;
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
    if (ts.isPropertyAccessExpression(n)) firstMember = n.name.text;
    else firstMember = ts.isStringLiteralLike(n.argumentExpression) ? n.argumentExpression.text : undefined;
    const inner = skipOuter(ts, n.expression);
    if (isRequestObject(ctx, inner)) {
      // req.headers.host
      if (firstMember === 'headers') return n !== e && ts.isPropertyAccessExpression(e) && e.name.text === 'host';
      return !!firstMember && OWN_ORIGIN_MEMBERS.includes(firstMember);
    }
    n = inner;
  }
  return false;
}


function classifyText(text: string, prefixOnly = false): Destination {
  const m = /^(?:([a-z][a-z0-9+.-]*):)?\/\/([^/?#]*)/i.exec(text);
  if (m) {
    if (m[1] && !/^https?$/i.test(m[1])) return 'unknown';
    const host = m[2].replace(/^[^@]*@/, '').replace(/:\d*$/, '');
    // `http://${host}`: the host is not in the literal part.
    if (prefixOnly && m[0].length === text.length) return 'external';
    return LOOPBACK.test(host) ? 'local' : 'external';
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return 'unknown';
  // A path without scheme or host is relative to the page (or to an instance's base URL).
  return 'local';
}
