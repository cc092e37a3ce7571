// insecure-cookie: a session or auth cookie set without `httpOnly`, `secure` or
// `sameSite` — by Express's `res.cookie`, or configured through express-session or
// cookie-session. The fix adds the missing attributes to the options object.
import type { ts } from 'ts-morph';
import type { FileEdit, Rule, RuleContext } from '../api';
import { resolveCall, skipOuter } from '../shared/callee';
import { appendPropertiesEdit, flagAssignments, listFlags, objectText, spreadWithFlagsEdit, strengthenEdits, weakFlags, type CookieFlag } from '../shared/cookie-flags';
import { resolveObject, type ResolvedObject } from '../shared/cookie-options';
import { sessionLibraryOf, sessionOptionsOf, type SessionLibrary } from '../shared/session-middleware';
import { credentialCookie } from '../shared/cookie-sensitivity';
import { findRouteHandlers } from '../shared/http';
import { isTestModule } from '../shared/module-imports';
import { shortText } from '../shared/source-text';
import { forEachCall } from '../shared/walk';

const EXPRESS_MODULES = ['express', 'express-serve-static-core'];

export const rule: Rule = {
  id: 'insecure-cookie',
  category: 'security',
  cwe: [614, 1004],
  defaultSeverity: 'warning',
  description: 'A session or auth cookie is set without `httpOnly`, `secure` or `sameSite`.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    forEachCall(ctx, (call) => {
      const library = sessionLibraryOf(ctx, call);
      if (library) checkSessionMiddleware(ctx, call, library);
      else checkResponseCookie(ctx, call);
    });
  },
};

// ---- res.cookie(name, value, options) ----

function checkResponseCookie(ctx: RuleContext, call: ts.CallExpression): void {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'cookie' || call.arguments.length < 2) return;
  if (!isExpressResponse(ctx, call, callee)) return;
  const [nameArg, valueArg, optionsArg] = call.arguments;
  const credential = credentialCookie(ctx, nameArg, valueArg);
  if (!credential) return;
  const options = optionsArg ? resolveObject(ctx, optionsArg) : undefined;
  // Options we cannot read (a parameter, a helper's result) may well set every flag.
  if (optionsArg && !options) return;
  if (options && clearsCookie(ctx, options)) return;
  const weak = weakFlags(ctx, options, { httpOnly: false });
  if (!weak.length) return;
  const shown = `${shortText(ctx, callee)}(${shortText(ctx, nameArg)}, …)`;
  ctx.report({
    node: call,
    message: `\`${shown}\` sets ${credential.what} without ${listFlags(weak)}: add \`${flagAssignments(ctx, weak).join(', ')}\` to its options.`,
    fixes: () => [{ title: `Add ${weak.join(', ')} to the cookie options`, isPreferred: true, safe: false, edits: responseCookieEdits(ctx, call, optionsArg, options, weak) }],
  });
}

/** `res.cookie` of Express's Response: by the declaration, or, untyped, as the response parameter of an Express handler. */
function isExpressResponse(ctx: RuleContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression): boolean {
  const { ts } = ctx;
  const target = resolveCall(ctx, call);
  if (target) return !!target.module && EXPRESS_MODULES.includes(target.module) && target.owner === 'Response';
  const receiver = skipOuter(ts, callee.expression);
  if (!ts.isIdentifier(receiver)) return false;
  const decl = ctx.checker.getSymbolAtLocation(receiver)?.valueDeclaration;
  return !!decl && ts.isParameter(decl) && findRouteHandlers(ctx).some((h) => h.framework === 'express' && h.response === decl);
}

/** `{ maxAge: 0 }` or `{ expires: new Date(0) }`: the call removes the cookie. */
function clearsCookie(ctx: RuleContext, options: ResolvedObject): boolean {
  const { ts } = ctx;
  const maxAge = options.props.get('maxAge');
  if (maxAge && ts.isExpression(maxAge)) {
    const e = skipOuter(ts, maxAge);
    if ((ts.isNumericLiteral(e) && Number(e.text) === 0) || (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken)) return true;
  }
  const expires = options.props.get('expires');
  if (expires && ts.isExpression(expires)) {
    const e = skipOuter(ts, expires);
    if (ts.isNewExpression(e) && e.arguments?.length === 1 && ts.isNumericLiteral(e.arguments[0]) && Number(e.arguments[0].text) === 0) return true;
  }
  return false;
}

function responseCookieEdits(ctx: RuleContext, call: ts.CallExpression, optionsArg: ts.Expression | undefined, options: ResolvedObject | undefined, weak: readonly CookieFlag[]): FileEdit[] {
  if (!optionsArg) {
    const last = call.arguments[call.arguments.length - 1];
    return [{ fileName: ctx.fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${objectText(flagAssignments(ctx, weak))}` }];
  }
  // Edit an inline literal; shared options (`cookieOptions`) may serve non-sensitive cookies too, so spread them instead.
  if (options && options.literal === skipOuter(ctx.ts, optionsArg)) return strengthenEdits(ctx, options, weak);
  return [spreadWithFlagsEdit(ctx, optionsArg, weak)];
}

// ---- session({ cookie }) / cookieSession({ … }) ----

function checkSessionMiddleware(ctx: RuleContext, call: ts.CallExpression, library: SessionLibrary): void {
  const read = sessionOptionsOf(ctx, call, library);
  if (!read) return;
  const { options, cookie } = read;
  // Both libraries make their cookie httpOnly unless told otherwise.
  const weak = weakFlags(ctx, cookie, { httpOnly: true });
  if (!weak.length) return;
  const where = library === 'express-session' ? 'its `cookie` options' : 'its options';
  ctx.report({
    node: call,
    message: `\`${shortText(ctx, call.expression)}(…)\` (${library}) issues the session cookie without ${listFlags(weak)}: add \`${flagAssignments(ctx, weak).join(', ')}\` to ${where}.`,
    fixes: () => {
      const edits = sessionEdits(ctx, call, library, options, cookie, weak);
      return edits ? [{ title: `Add ${weak.join(', ')} to the session cookie`, isPreferred: true, safe: false, edits }] : [];
    },
  });
}

function sessionEdits(ctx: RuleContext, call: ts.CallExpression, library: SessionLibrary, options: ResolvedObject | undefined, cookie: ResolvedObject | undefined, weak: readonly CookieFlag[]): FileEdit[] | undefined {
  const flags = objectText(flagAssignments(ctx, weak));
  if (cookie) return strengthenEdits(ctx, cookie, weak);
  if (options) return [appendPropertiesEdit(options.literal, [`cookie: ${flags}`])];
  // `session()` with no options at all.
  if (call.arguments.length) return undefined;
  const open = call.arguments.pos;
  return [{ fileName: ctx.fileName, start: open, end: open, newText: library === 'express-session' ? `{ cookie: ${flags} }` : flags }];
}
