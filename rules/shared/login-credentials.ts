// Does a route take credentials? Either its code verifies a password — bcrypt/argon2
// `compare`/`verify`, `passport.authenticate('local')` before it, `crypto.timingSafeEqual`
// over a scrypt/pbkdf2 hash — in the handler or a project function it calls directly;
// or its path ends like a credential endpoint (login, signup, password reset, OTP/2FA,
// token) and the handler reads the request body. A path alone is not enough: `GET /login`
// that renders a page takes nothing.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { handlerAndCallees } from '../inventory/callees';
import { codeLabel } from '../inventory/location';
import { requestPartsRead } from '../inventory/request-input';
import { resolveValue } from '../inventory/values';
import { resolveCall, skipOuter } from './callee';
import type { FileRoute } from './login-routes';

export interface CredentialEvidence {
  readonly node: ts.Node;
  /** Ends a sentence: "verifies a password with `bcrypt.compare`". */
  readonly note: string;
}

const PASSWORD_CHECKS: Readonly<Record<string, readonly string[]>> = {
  bcrypt: ['compare', 'compareSync'],
  bcryptjs: ['compare', 'compareSync'],
  '@node-rs/bcrypt': ['compare', 'compareSync', 'verify', 'verifySync'],
  argon2: ['verify'],
  '@node-rs/argon2': ['verify', 'verifySync'],
};
const KDFS = new Set(['scrypt', 'scryptSync', 'pbkdf2', 'pbkdf2Sync']);

/** Last path segments, lower case without `-`/`_`, that name a credential endpoint. */
const CREDENTIAL_SEGMENTS = new Set(['login', 'logon', 'signin', 'register', 'signup', 'forgotpassword', 'resetpassword', 'passwordreset', 'verifyotp', 'otp', '2fa', 'mfa', 'token']);
/** `/password/reset`, `/otp/verify`, `/2fa/verify`. */
const CREDENTIAL_PAIRS: Readonly<Record<string, readonly string[]>> = {
  password: ['reset', 'forgot'],
  otp: ['verify'],
  '2fa': ['verify'],
  mfa: ['verify'],
};

const cache = new WeakMap<ts.Node, CredentialEvidence | null>();

export function takesCredentials(ctx: RuleContext, route: FileRoute): CredentialEvidence | undefined {
  let found = cache.get(route.fn);
  if (found === undefined) {
    found = passwordCheck(ctx, route) ?? credentialPath(ctx, route) ?? null;
    cache.set(route.fn, found);
  }
  return found ?? undefined;
}

function passwordCheck(ctx: RuleContext, route: FileRoute): CredentialEvidence | undefined {
  const { ts } = ctx;
  for (const m of route.ownMiddleware) {
    const e = skipOuter(ts, m);
    if (!ts.isCallExpression(e)) continue;
    const strategy = e.arguments[0] && skipOuter(ts, e.arguments[0]);
    const v = resolveValue(ctx, e);
    if (v?.kind === 'package' && v.module === 'passport' && v.names[v.names.length - 1] === 'authenticate' && strategy && ts.isStringLiteralLike(strategy) && strategy.text === 'local') {
      return { node: m, note: `checks a password with \`${codeLabel(m)}\`` };
    }
  }
  for (const scope of handlerAndCallees(ctx, route.fn)) {
    const found = passwordCheckIn(scope.ctx, scope.fn);
    if (found) return found;
  }
  return undefined;
}

function passwordCheckIn(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): CredentialEvidence | undefined {
  const { ts } = ctx;
  let found: CredentialEvidence | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && isCheckName(ts, n.expression)) {
      const target = resolveCall(ctx, n);
      const names = target?.module ? PASSWORD_CHECKS[target.module] : undefined;
      if (names?.includes(target!.name)) found = { node: n, note: `verifies a password with \`${codeLabel(n.expression)}\`` };
      else if (target?.module === 'crypto' && target.name === 'timingSafeEqual' && n.arguments.some((a) => derivedFromKdf(ctx, a, fn, 0))) {
        found = { node: n, note: `compares a password hash with \`${codeLabel(n.expression)}\`` };
      }
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** Only calls whose written name could be a check are resolved (resolving every call is what costs). */
function isCheckName(ts: RuleContext['ts'], callee: ts.Expression): boolean {
  const e = skipOuter(ts, callee);
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
  return !!name && (name === 'timingSafeEqual' || Object.values(PASSWORD_CHECKS).some((names) => names.includes(name)));
}

/** True when `expr` is, or is a const computed from, a scrypt/pbkdf2 result in the same function. */
function derivedFromKdf(ctx: RuleContext, expr: ts.Expression, fn: ts.FunctionLikeDeclaration, depth: number): boolean {
  const { ts } = ctx;
  if (depth > 3) return false;
  let hit = false;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (ts.isCallExpression(n)) {
      const target = resolveCall(ctx, n);
      if (target?.module === 'crypto' && KDFS.has(target.name)) hit = true;
    }
    if (ts.isIdentifier(n)) {
      const decl = ctx.checker.getSymbolAtLocation(n)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.pos >= fn.pos && decl.end <= fn.end && derivedFromKdf(ctx, decl.initializer, fn, depth + 1)) hit = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return hit;
}

function credentialPath(ctx: RuleContext, route: FileRoute): CredentialEvidence | undefined {
  const path = route.path !== '(dynamic)' ? route.path : route.localPath;
  if (!path || !isCredentialPath(path)) return undefined;
  const parts = requestPartsRead(ctx, { framework: route.framework, fn: route.fn, webRequest: route.webRequest });
  if (!parts.includes('body')) return undefined;
  return { node: route.registration, note: 'reads credentials from the body' };
}

/** `/auth/login`, `/users/sign-up`, `/password/reset`, `/oauth/token`. */
export function isCredentialPath(path: string): boolean {
  const segments = path.split('/').filter((s) => s && !s.startsWith(':') && !s.startsWith('*')).map((s) => s.toLowerCase().replace(/[-_]/g, ''));
  const last = segments[segments.length - 1];
  if (!last) return false;
  if (CREDENTIAL_SEGMENTS.has(last)) return true;
  const before = segments[segments.length - 2];
  return !!before && !!CREDENTIAL_PAIRS[before]?.includes(last);
}
