// What stops a cross-site request from riding an Express app's session cookie: the
// session middleware (express-session, cookie-session) and its `sameSite` setting, CSRF
// middleware packages (csurf, csrf-csrf, csrf-sync, tiny-csrf, lusca's csrf), and project
// middleware that checks the Origin or a CSRF-token header. Decided by what values resolve
// to (package and export) and by the AST of middleware bodies, never by names.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveValue } from '../inventory/values';
import { originOf, skipOuter } from './callee';
import { constantString } from './constant-values';
import { resolveObject } from './cookie-options';

export type SessionLibrary = 'express-session' | 'cookie-session';

/** Packages whose middleware checks a CSRF token (any value they export counts). */
const CSRF_PACKAGES = new Set(['csurf', '@dr.pogodin/csurf', 'csrf-csrf', 'csrf-sync', 'tiny-csrf', 'csrf-express']);
/** Request headers whose check is a CSRF defence (Origin/Fetch-Metadata checks, custom-header and token checks). */
const CSRF_HEADERS = new Set(['origin', 'referer', 'sec-fetch-site', 'x-csrf-token', 'x-xsrf-token', 'csrf-token', 'xsrf-token', 'x-requested-with']);

/** `session({…})` of express-session / `cookieSession({…})` of cookie-session. */
export function sessionLibraryOf(ctx: RuleContext, call: ts.CallExpression): SessionLibrary | undefined {
  const origin = originOf(ctx, call.expression);
  if (!origin || origin.instance || origin.members.length > 0 || !origin.exportPath.every((p) => p === 'default')) return undefined;
  return origin.module === 'express-session' || origin.module === 'cookie-session' ? origin.module : undefined;
}

/**
 * The session cookie's `sameSite`: 'protected' for 'strict', 'lax' or `true` (or a value we cannot
 * read, which may well be one of them), 'unprotected' when absent, 'none' or false.
 */
export function sameSiteOf(ctx: RuleContext, call: ts.CallExpression, library: SessionLibrary): 'protected' | 'unprotected' {
  const { ts } = ctx;
  const arg = call.arguments[0];
  if (!arg) return 'unprotected';
  const options = resolveObject(ctx, arg);
  if (!options) return 'protected';
  let holder = options;
  if (library === 'express-session') {
    const cookie = options.props.get('cookie');
    if (!cookie) return 'unprotected';
    if (!ts.isExpression(cookie)) return 'protected';
    const resolved = resolveObject(ctx, cookie);
    if (!resolved) return 'protected';
    holder = resolved;
  }
  const value = holder.props.get('sameSite');
  if (!value) return 'unprotected';
  if (!ts.isExpression(value)) return 'protected';
  const e = skipOuter(ts, value);
  if (e.kind === ts.SyntaxKind.FalseKeyword) return 'unprotected';
  const text = constantString(ctx, e);
  return text !== undefined && text.toLowerCase() === 'none' ? 'unprotected' : 'protected';
}

/** A description of the CSRF defence a middleware argument is, or undefined. */
export function csrfMiddleware(ctx: RuleContext, expr: ts.Expression): string | undefined {
  const { ts } = ctx;
  const value = resolveValue(ctx, expr);
  if (!value) return undefined;
  if (value.kind === 'package') {
    if (CSRF_PACKAGES.has(value.module)) return value.module;
    if (value.module === 'lusca') {
      if (value.names.includes('csrf')) return 'lusca.csrf';
      // lusca({ csrf: true, … })
      const call = skipOuter(ts, expr);
      const options = ts.isCallExpression(call) && call.arguments[0] ? resolveObject(ctx, call.arguments[0]) : undefined;
      if (!options || options.props.has('csrf')) return 'lusca';
    }
    return undefined;
  }
  if (value.kind === 'function' && value.fn.body && readsCsrfHeader(ctx, value.fn.body)) return 'a middleware checking the request origin or CSRF token';
  return undefined;
}

/** `req.headers.origin`, `req.headers['x-csrf-token']`, `req.get('Origin')`, `req.header('x-xsrf-token')`. */
function readsCsrfHeader(ctx: RuleContext, body: ts.Node): boolean {
  const { ts } = ctx;
  let found = false;
  const isHeaders = (e: ts.Expression) => {
    const x = skipOuter(ts, e);
    return ts.isPropertyAccessExpression(x) && x.name.text === 'headers';
  };
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && isHeaders(node.expression) && CSRF_HEADERS.has(node.name.text.toLowerCase())) found = true;
    if (ts.isElementAccessExpression(node) && isHeaders(node.expression)) {
      const key = constantString(ctx, node.argumentExpression);
      if (key && CSRF_HEADERS.has(key.toLowerCase())) found = true;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['get', 'header'].includes(node.expression.name.text)) {
      const key = constantString(ctx, node.arguments[0]);
      if (key && CSRF_HEADERS.has(key.toLowerCase())) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}
