// Whether tracking starts only after consent: the start sits under a condition on a consent
// value (`if (hasConsent())`, `consent.analytics &&`), after an early return on one, in a
// callback a consent API calls (`__tcfapi`, `OneTrust.OnConsentChanged`, a
// `CookiebotOnAccept` listener, `onConsent(…)`), in a helper whose callers are all guarded
// (or which this module never calls), or the library starts opted out / gtag's consent
// default is "denied" first. Consent is named by the CMP APIs and by what the code calls it.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import type { TrackerStart } from './trackers';

const CONSENT_WORDS = /consent|gdpr|ccpa|__tcfapi|__cmp|onetrust|cookiebot|didomi|klaro|usercentrics|optin|opt_in|cookiesaccepted|acceptedcookies|allowtracking|trackingallowed|analyticsallowed|allowanalytics/i;
const MAX_CALLER_DEPTH = 3;

export function startsAfterConsent(ctx: RuleContext, start: TrackerStart): boolean {
  if (startsOptedOut(ctx, start) || consentDefaultFirst(ctx, start)) return true;
  return guarded(ctx, start.node, 0);
}

function startsOptedOut(ctx: RuleContext, start: TrackerStart): boolean {
  const { ts } = ctx;
  const options = start.options && skipOuter(ts, start.options);
  if (!options) return false;
  if (!ts.isObjectLiteralExpression(options)) return true; // options built elsewhere may opt out
  return options.properties.some((p) => {
    if (ts.isSpreadAssignment(p)) return true;
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (!name || !start.optOutKeys.includes(name) || !ts.isPropertyAssignment(p)) return false;
    return skipOuter(ts, p.initializer).kind !== ts.SyntaxKind.FalseKeyword;
  });
}

/** gtag('consent', 'default', …) / fbq('consent', 'revoke') earlier in the module. */
function consentDefaultFirst(ctx: RuleContext, start: TrackerStart): boolean {
  const { ts } = ctx;
  if (!start.global) return false;
  const limit = start.node.getStart(ctx.sourceFile);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.getStart(ctx.sourceFile) >= limit) return;
    if (ts.isCallExpression(n)) {
      const callee = skipOuter(ts, n.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const [command, mode] = n.arguments;
      if (name === start.global && command && ts.isStringLiteralLike(command) && command.text === 'consent' && mode && ts.isStringLiteralLike(mode) && ['default', 'revoke'].includes(mode.text)) found = true;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return found;
}

function guarded(ctx: RuleContext, node: ts.Node, depth: number): boolean {
  const { ts } = ctx;
  let child: ts.Node = node;
  for (let n: ts.Node | undefined = node.parent; n; child = n, n = n.parent) {
    if (ts.isIfStatement(n) && child !== n.expression && mentionsConsent(ctx, n.expression)) return true;
    if (ts.isConditionalExpression(n) && child !== n.condition && mentionsConsent(ctx, n.condition)) return true;
    if (ts.isBinaryExpression(n) && child === n.right && n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && mentionsConsent(ctx, n.left)) return true;
    if (ts.isBlock(n) || ts.isSourceFile(n)) {
      if (earlyReturnBefore(ctx, n, child)) return true;
    }
    if (ts.isFunctionLike(n)) {
      const verdict = functionVerdict(ctx, n, depth);
      if (verdict !== 'continue') return verdict === 'guarded';
    }
  }
  return false;
}

/** `if (!hasConsent()) return;` among the statements before `child`. */
function earlyReturnBefore(ctx: RuleContext, block: ts.Block | ts.SourceFile, child: ts.Node): boolean {
  const { ts } = ctx;
  for (const s of block.statements) {
    if (s === child) return false;
    if (ts.isIfStatement(s) && mentionsConsent(ctx, s.expression) && exits(ctx, s.thenStatement)) return true;
  }
  return false;
}

function exits(ctx: RuleContext, s: ts.Statement): boolean {
  const { ts } = ctx;
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
  return ts.isBlock(s) && s.statements.some((x) => ts.isReturnStatement(x) || ts.isThrowStatement(x));
}

/** A callback of a consent API, a consent-named helper, or a helper whose callers decide. */
function functionVerdict(ctx: RuleContext, fn: ts.SignatureDeclaration, depth: number): 'guarded' | 'unguarded' | 'continue' {
  const { ts } = ctx;
  const parent = fn.parent;
  if (ts.isCallExpression(parent) && parent.arguments.includes(fn as ts.Expression)) {
    // window.__tcfapi('addEventListener', 2, cb), OneTrust.OnConsentChanged(cb), onConsent(cb)
    if (mentionsConsent(ctx, parent.expression)) return 'guarded';
    // window.addEventListener('CookiebotOnAccept', cb)
    const event = parent.arguments[0];
    if (event && ts.isStringLiteralLike(event) && CONSENT_WORDS.test(event.text)) return 'guarded';
    return 'continue';
  }
  const name = functionName(ctx, fn);
  if (!name) return 'continue';
  if (CONSENT_WORDS.test(name.text)) return 'guarded';
  // Components and hooks run when rendered: the JSX or the effect decides, not a caller.
  if (/^[A-Z]/.test(name.text) || /^use[A-Z]/.test(name.text)) return 'continue';
  const calls = callsOf(ctx, name);
  if (calls === undefined || calls.length === 0 || depth >= MAX_CALLER_DEPTH) return 'guarded';
  return calls.every((c) => guarded(ctx, c, depth + 1)) ? 'guarded' : 'unguarded';
}

function functionName(ctx: RuleContext, fn: ts.SignatureDeclaration): ts.Identifier | undefined {
  const { ts } = ctx;
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name;
  return undefined;
}

/** Calls of the function in this module; undefined when it escapes (passed as a value, exported and used elsewhere). */
function callsOf(ctx: RuleContext, name: ts.Identifier): ts.CallExpression[] | undefined {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(name);
  if (!symbol) return undefined;
  const calls: ts.CallExpression[] = [];
  let escapes = false;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== name && n.text === name.text && ctx.checker.getSymbolAtLocation(n) === symbol) {
      if (ts.isCallExpression(n.parent) && n.parent.expression === n) calls.push(n.parent);
      else if (!ts.isExportSpecifier(n.parent)) escapes = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return escapes ? undefined : calls;
}

/** The expression names consent: an identifier, a property or a string in it. */
function mentionsConsent(ctx: RuleContext, expr: ts.Node): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(n) || ts.isStringLiteralLike(n) || ts.isPrivateIdentifier(n)) && CONSENT_WORDS.test(n.text)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(expr);
  return found;
}
