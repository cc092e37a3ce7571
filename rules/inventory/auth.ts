// Is this authentication? A middleware or guard counts when what it resolves to is
// an authentication package's (passport.authenticate, express-jwt, AuthGuard…), or
// when it is the project's own function whose body verifies a token through such a
// package, or reads who the caller is (`req.user`, `req.isAuthenticated()`, the
// Authorization header) and answers 401/403. A name like `requireAuth` alone is not
// evidence. The same body test finds checks written inside a handler.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { calleeNameNode, resolveCall, skipOuter } from '../shared/callee';
import { parameterNames, rootName } from './callees';
import { codeLabel } from './location';
import { calledFunction, isPackageValue, resolveValue, type ResolvedValue } from './values';

export interface Evidence {
  readonly node: ts.Node;
  readonly note: string;
}

/** Middleware/guards that authenticate by themselves. */
const AUTH_MIDDLEWARE: Readonly<Record<string, readonly string[] | '*'>> = {
  passport: ['authenticate'],
  'koa-passport': ['authenticate'],
  'express-jwt': '*',
  'express-oauth2-jwt-bearer': '*',
  'express-openid-connect': ['requiresAuth'],
  'express-basic-auth': '*',
  'koa-jwt': '*',
  '@nestjs/passport': ['AuthGuard'],
  '@clerk/express': ['requireAuth'],
};

/** Calls that verify a credential or fetch the signed-in user, inside a middleware or handler. */
const VERIFIERS: Readonly<Record<string, readonly string[] | '*'>> = {
  ...AUTH_MIDDLEWARE,
  jsonwebtoken: ['verify'],
  jose: ['jwtVerify'],
  '@nestjs/jwt': ['verify', 'verifyAsync'],
  '@fastify/jwt': ['jwtVerify'],
  'firebase-admin': ['verifyIdToken', 'verifySessionCookie'],
  'google-auth-library': ['verifyIdToken'],
  'next-auth': ['getServerSession', 'auth', 'getToken'],
  '@clerk/nextjs': ['auth', 'currentUser'],
  '@auth0/nextjs-auth0': ['getSession', 'withApiAuthRequired'],
  'iron-session': ['getIronSession'],
};

/** Properties that say who the caller is. */
const CALLER_STATE = new Set(['user', 'currentUser', 'userId', 'isAuthenticated', 'isUnauthenticated', 'auth', 'authorization']);
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key', 'x-auth-token', 'api-key']);
/** Exceptions that answer 401/403, by package. */
const DENIALS: Readonly<Record<string, readonly string[] | '*'>> = {
  '@nestjs/common': ['UnauthorizedException', 'ForbiddenException'],
  'http-errors': ['Unauthorized', 'Forbidden'],
  '@hapi/boom': ['unauthorized', 'forbidden'],
};

/**
 * Member names a call on the request/response may verify or deny by: only those calls on a
 * parameter are resolved (`res.status(…).json(…)` is never one, and resolving it is costly).
 */
const NAMES_ON_PARAMETERS = new Set(
  [VERIFIERS, DENIALS].flatMap((table) => Object.values(table).flatMap((names) => (names === '*' ? [] : names))),
);

/** Evidence that a middleware/guard expression authenticates the request. */
export function authOfMiddleware(ctx: RuleContext, expr: ts.Expression): Evidence | undefined {
  const v = resolveValue(ctx, expr);
  const why = authOfValue(ctx, v);
  return why ? { node: expr, note: `Authenticated by \`${codeLabel(expr)}\`${why}` } : undefined;
}

function authOfValue(ctx: RuleContext, v: ResolvedValue | undefined): string | undefined {
  if (!v) return undefined;
  if (isPackageValue(v, AUTH_MIDDLEWARE)) return ` (${v.module})`;
  if (v.kind === 'function') {
    const found = authInBody(ctx, v.fn, { depth: 1, implicitDenial: false });
    return found ? `, which ${found.note}` : undefined;
  }
  if (v.kind === 'class') return authOfGuardClass(ctx, v.cls);
  return undefined;
}

/** A Nest guard: extends AuthGuard('jwt'), or its canActivate checks the caller (returning false answers 403). */
function authOfGuardClass(ctx: RuleContext, cls: ts.ClassLikeDeclaration): string | undefined {
  const { ts } = ctx;
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (base) {
    const why = authOfValue(ctx, resolveValue(ctx, base.expression));
    if (why) return why;
  }
  const canActivate = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === 'canActivate' && !!m.body);
  const found = canActivate && authInBody(ctx, canActivate, { depth: 1, implicitDenial: true });
  return found ? `, which ${found.note}` : undefined;
}

interface BodyOptions {
  /** How many calls into the project's own functions to follow. */
  readonly depth: number;
  /** A Nest guard denies by returning false: reading the caller is enough. */
  readonly implicitDenial: boolean;
}

/** A verification call, or a read of the caller's identity answered with 401/403, in `fn`. */
export function authInBody(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, opts: BodyOptions): Evidence | undefined {
  const { ts } = ctx;
  if (!fn.body) return undefined;
  let verifier: Evidence | undefined;
  let callerRead: ts.Node | undefined;
  let denial = false;
  const nested: ts.FunctionLikeDeclaration[] = [];
  const params = parameterNames(ts, fn);
  const worthResolving = (call: ts.CallExpression | ts.NewExpression) =>
    !params.has(rootName(ts, call.expression) ?? '') || NAMES_ON_PARAMETERS.has(calleeNameNode(ts, call.expression)?.text ?? '');
  const visit = (n: ts.Node): void => {
    if (verifier) return;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && worthResolving(n)) {
      const target = resolveCall(ctx, n);
      const v: ResolvedValue | undefined = target?.module ? { kind: 'package', module: target.module, names: [target.name] } : undefined;
      if (ts.isCallExpression(n) && isPackageValue(v, VERIFIERS)) verifier = { node: n, note: `calls \`${codeLabel(n.expression)}\` (${v.module})` };
      else if (isPackageValue(v, DENIALS)) denial = true;
      else if (ts.isCallExpression(n) && opts.depth > 0) {
        const callee = calledFunction(ctx, n);
        if (callee && callee !== fn) nested.push(callee);
      }
    }
    // req.get('authorization'), request.headers.get('x-api-key')
    if (ts.isCallExpression(n) && !callerRead && n.arguments.some((a) => isCredentialHeader(ts, a)) && rootedInParameter(ctx, n.expression, fn)) callerRead = n;
    if (ts.isNumericLiteral(n) && (n.text === '401' || n.text === '403')) denial = true;
    if (!callerRead && ts.isPropertyAccessExpression(n) && CALLER_STATE.has(n.name.text) && rootedInParameter(ctx, n.expression, fn)) callerRead = n;
    if (!callerRead && ts.isElementAccessExpression(n) && isCredentialHeader(ts, n.argumentExpression) && rootedInParameter(ctx, n.expression, fn)) callerRead = n;
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  if (verifier) return verifier;
  if (callerRead && (denial || opts.implicitDenial)) {
    const answer = denial ? 'answers 401/403' : 'lets the request through only then';
    return { node: callerRead, note: `checks \`${codeLabel(callerRead)}\` and ${answer}` };
  }
  for (const callee of nested.slice(0, 10)) {
    const inner = authInBody(ctx, callee, { depth: opts.depth - 1, implicitDenial: false });
    if (inner) return inner;
  }
  return undefined;
}

function isCredentialHeader(ts: RuleContext['ts'], e: ts.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isStringLiteralLike(x) && CREDENTIAL_HEADERS.has(x.text.toLowerCase());
}

/**
 * True when `expr` starts at a parameter of `fn` or of a function inside it (`req.user`,
 * `context.switchToHttp().getRequest().user`), directly or through a const holding such
 * a value — the caller's own request, not some other object's `user`.
 */
function rootedInParameter(ctx: RuleContext, expr: ts.Expression, fn: ts.FunctionLikeDeclaration, depth = 0): boolean {
  const { ts } = ctx;
  let e = skipOuter(ts, expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isAwaitExpression(e)) e = skipOuter(ts, e.expression);
  if (!ts.isIdentifier(e) || depth > 2) return false;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl || decl.pos < fn.pos || decl.end > fn.end) return false;
  if (ts.isParameter(decl)) return true;
  if (ts.isVariableDeclaration(decl) && decl.initializer) return rootedInParameter(ctx, decl.initializer, fn, depth + 1);
  if (ts.isBindingElement(decl)) {
    let n: ts.Node = decl;
    while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
    if (ts.isParameter(n)) return true;
    if (ts.isVariableDeclaration(n) && n.initializer) return rootedInParameter(ctx, n.initializer, fn, depth + 1);
  }
  return false;
}
