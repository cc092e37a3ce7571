// Whether a cookie carries a credential: its name says so (`sid`, `session`,
// `access_token`…), or its value is one — a token signed by jsonwebtoken, the
// express-session id, or a binding named as a token in the same function. A theme or
// locale cookie carries none, and neither does a CSRF cookie that scripts must read.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { isCallTo, packageOfFile, skipOuter } from './callee';
import { constantString, unchangedConstInitializer } from './constant-values';

export interface Credential {
  /** Why the cookie counts as one, for the message: "a session cookie", "a JSON Web Token". */
  readonly what: string;
}

// Words that name a credential on their own; `last_login`, `refresh_interval` or `remember_tab` do not.
const CREDENTIAL_WORDS = new Set(['session', 'sess', 'sid', 'ssid', 'sessionid', 'jsessionid', 'phpsessid', 'auth', 'authorization', 'token', 'jwt', 'rememberme', 'credentials']);
// Double-submit CSRF cookies are read by the page's scripts on purpose: httpOnly would break them.
const READ_BY_SCRIPTS = new Set(['csrf', 'xsrf']);

/** The words of a name: `__Host-refreshToken` → ['host', 'refresh', 'token']. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}


/** Why a cookie set with this name and value holds a credential, or undefined when nothing says it does. */
export function credentialCookie(ctx: RuleContext, nameArg: ts.Expression, valueArg: ts.Expression | undefined): Credential | undefined {
  const name = constantString(ctx, nameArg);
  const words = name === undefined ? [] : nameWords(name);
  if (words.some((w) => READ_BY_SCRIPTS.has(w))) return undefined;
  if (valueArg && isClearingValue(ctx, valueArg)) return undefined;
  const rememberMe = words.includes('remember') && words.includes('me');
  if (rememberMe || words.some((w) => CREDENTIAL_WORDS.has(w))) return { what: 'a session or auth cookie' };
  return valueArg ? credentialValue(ctx, valueArg, 0) : undefined;
}

/** `res.cookie('sid', '')`: an empty value clears the cookie, there is nothing to protect. */
function isClearingValue(ctx: RuleContext, expr: ts.Expression): boolean {
  const e = skipOuter(ctx.ts, expr);
  return ctx.ts.isStringLiteralLike(e) && e.text === '';
}

function credentialValue(ctx: RuleContext, expr: ts.Expression, depth: number): Credential | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > 4) return undefined;
  if (ts.isAwaitExpression(e)) return credentialValue(ctx, e.expression, depth + 1);
  if (ts.isCallExpression(e) && isCallTo(ctx, e, 'jsonwebtoken', ['sign'])) return { what: 'a JSON Web Token' };
  if (ts.isPropertyAccessExpression(e) && isSessionId(ctx, e)) return { what: 'the session id' };
  if (ts.isIdentifier(e)) {
    const init = unchangedConstInitializer(ctx, e);
    const fromInit = init && credentialValue(ctx, init, depth + 1);
    if (fromInit) return fromInit;
    if (isTokenName(e.text)) return { what: `a token (\`${e.text}\`)` };
  }
  if (ts.isPropertyAccessExpression(e) && isTokenName(e.name.text)) return { what: `a token (\`${e.name.text}\`)` };
  return undefined;
}

/** `accessToken`, `jwt`, `refresh_token`: a binding named as a token (a signal, used with the cookie call's own semantics). */
function isTokenName(name: string): boolean {
  const words = nameWords(name);
  if (words.some((w) => READ_BY_SCRIPTS.has(w))) return false;
  return words.includes('token') || words.includes('jwt') || (words.includes('session') && words.includes('id'));
}

/** `req.sessionID` or `req.session.id`, as express-session declares them. */
function isSessionId(ctx: RuleContext, e: ts.PropertyAccessExpression): boolean {
  if (e.name.text !== 'sessionID' && e.name.text !== 'id') return false;
  const symbol = ctx.checker.getSymbolAtLocation(e.name);
  return (symbol?.declarations ?? []).some((d) => packageOfFile(d.getSourceFile().fileName) === 'express-session');
}
