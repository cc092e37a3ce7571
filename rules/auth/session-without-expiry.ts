// session-without-expiry: express-session or cookie-session configured without a cookie
// `maxAge`/`expires`, so the session cookie is a browser-session cookie (which browsers
// restore with the tabs) and, with express-session, the stored session has no lifetime
// either. The fix adds an eight-hour `maxAge`.
import type { ts } from 'ts-morph';
import type { FileEdit, Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { resolveObject, type ResolvedObject } from '../shared/cookie-options';
import { isTestModule } from '../shared/module-imports';
import { insertProperty } from '../shared/option-objects';
import { sessionLibraryOf, sessionOptionsOf, type SessionLibrary } from '../shared/session-middleware';
import { shortText } from '../shared/source-text';
import { forEachCall } from '../shared/walk';
import { assignsExpiryLater } from './session-without-expiry/later-expiry';

const MAX_AGE = 'maxAge: 8 * 60 * 60 * 1000';

export const rule: Rule = {
  id: 'session-without-expiry',
  category: 'auth',
  cwe: [613],
  defaultSeverity: 'warning',
  description: 'express-session or cookie-session is configured without a cookie `maxAge`/`expires`, so sessions never expire.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    forEachCall(ctx, (call) => {
      const library = sessionLibraryOf(ctx, call);
      if (library) checkSession(ctx, call, library);
    });
  },
};

function checkSession(ctx: RuleContext, call: ts.CallExpression, library: SessionLibrary): void {
  // Options built elsewhere (a parameter, a helper's result, an unknown spread) may set it.
  const read = sessionOptionsOf(ctx, call, library);
  if (!read) return;
  const { options, cookie } = read;
  if (cookie && (setsExpiry(ctx, cookie, 'maxAge') || setsExpiry(ctx, cookie, 'expires'))) return;
  if (usesStoreWithTtl(ctx, options) || assignsExpiryLater(ctx)) return;
  const rolling = options?.props.get('rolling');
  const rollingNote = rolling && rolling.kind === ctx.ts.SyntaxKind.TrueKeyword ? ' (`rolling` renews nothing without it)' : '';
  const where = library === 'express-session' ? 'its `cookie` options' : 'its options';
  const lifetime = library === 'express-session' ? 'the session cookie lasts until the browser forgets it and the stored session never expires' : 'the signed session cookie stays valid until the browser forgets it';
  ctx.report({
    node: call,
    message: `\`${shortText(ctx, call.expression)}(…)\` (${library}) sets no \`maxAge\`${rollingNote}, so ${lifetime}: add \`${MAX_AGE}\` (or your idle timeout) to ${where}.`,
    fixes: () => {
      const edits = expiryEdits(ctx, call, library, options, cookie);
      return edits ? [{ title: 'Expire the session after 8 hours (`maxAge`)', isPreferred: true, safe: false, edits }] : [];
    },
  });
}

/** The option is present with a value other than `null`/`undefined` (computed values count). */
function setsExpiry(ctx: RuleContext, cookie: ResolvedObject, key: string): boolean {
  const { ts } = ctx;
  const node = cookie.props.get(key);
  if (!node) return false;
  if (!ts.isExpression(node)) return true;
  const e = skipOuter(ts, node);
  return e.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(e) && e.text === 'undefined');
}

/** express-session with `store: new RedisStore({ ttl })`: the store states the sessions' lifetime. */
function usesStoreWithTtl(ctx: RuleContext, options: ResolvedObject | undefined): boolean {
  const { ts } = ctx;
  const store = options?.props.get('store');
  if (!store || !ts.isExpression(store)) return false;
  let e = skipOuter(ts, store);
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
    e = skipOuter(ts, decl.initializer);
  }
  if (!ts.isNewExpression(e) && !ts.isCallExpression(e)) return false;
  return (e.arguments ?? []).some((arg) => {
    const config = resolveObject(ctx, arg);
    return !config || config.props.has('ttl');
  });
}

function expiryEdits(ctx: RuleContext, call: ts.CallExpression, library: SessionLibrary, options: ResolvedObject | undefined, cookie: ResolvedObject | undefined): FileEdit[] | undefined {
  if (cookie) {
    // `maxAge: null` written out: give it a value rather than a second key.
    const written = cookie.literal.properties.find((p) => ctx.ts.isPropertyAssignment(p) && p.name.getText() === 'maxAge');
    if (written && ctx.ts.isPropertyAssignment(written)) return [{ fileName: ctx.fileName, start: written.initializer.getStart(ctx.sourceFile), end: written.initializer.getEnd(), newText: '8 * 60 * 60 * 1000' }];
    return [insertProperty(ctx, cookie.literal, MAX_AGE)];
  }
  if (options) return [insertProperty(ctx, options.literal, `cookie: { ${MAX_AGE} }`)];
  // `cookieSession()` with no options at all; express-session needs its secret anyway.
  if (library !== 'cookie-session' || call.arguments.length) return undefined;
  const open = call.arguments.pos;
  return [{ fileName: ctx.fileName, start: open, end: open, newText: `{ ${MAX_AGE} }` }];
}
