// The session middlewares of express-session and cookie-session: which call makes one, and
// the objects that configure its cookie as far as the code states them. insecure-cookie
// (flags) and session-without-expiry (lifetime) read the same options.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from './callee';
import { resolveObject, type ResolvedObject } from './cookie-options';

export type SessionLibrary = 'express-session' | 'cookie-session';
const SESSION_LIBRARIES: readonly SessionLibrary[] = ['express-session', 'cookie-session'];

export interface SessionOptions {
  /** The options argument, absent for `session()`. */
  readonly options: ResolvedObject | undefined;
  /** express-session's `cookie` object, or cookie-session's options themselves; absent when not written. */
  readonly cookie: ResolvedObject | undefined;
}

/** The middleware factory itself (`session(…)`, `cookieSession(…)`), by its declaration or import. */
export function sessionLibraryOf(ctx: RuleContext, call: ts.CallExpression): SessionLibrary | undefined {
  const { ts } = ctx;
  // Both packages export the factory itself: method calls on something they return are not it.
  if (!ts.isIdentifier(skipOuter(ts, call.expression)) || call.arguments.length > 1) return undefined;
  const target = resolveCall(ctx, call);
  const library = SESSION_LIBRARIES.find((l) => l === target?.module);
  if (!target || !library) return undefined;
  if (target.via === 'types') return target.declaration && ts.isFunctionDeclaration(target.declaration) ? library : undefined;
  const origin = originOf(ctx, call.expression);
  const isFactory = !!origin && origin.members.length === 0 && (origin.exportPath.length === 0 || (origin.exportPath.length === 1 && origin.exportPath[0] === 'default'));
  return isFactory ? library : undefined;
}

/** The options and cookie objects, or undefined when options built elsewhere (a parameter, a helper, a spread) may set anything. */
export function sessionOptionsOf(ctx: RuleContext, call: ts.CallExpression, library: SessionLibrary): SessionOptions | undefined {
  const optionsArg = call.arguments[0];
  const options = optionsArg ? resolveObject(ctx, optionsArg) : undefined;
  if (optionsArg && !options) return undefined;
  if (library === 'cookie-session') return { options, cookie: options };
  const cookieNode = options?.props.get('cookie');
  if (!cookieNode) return { options, cookie: undefined };
  const cookie = ctx.ts.isExpression(cookieNode) ? resolveObject(ctx, cookieNode) : undefined;
  return cookie ? { options, cookie } : undefined;
}
