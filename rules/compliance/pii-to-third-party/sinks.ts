// The calls that hand data to an analytics or monitoring vendor: Segment, Mixpanel,
// PostHog, Amplitude, Sentry's `setUser`, Google's `gtag`. Recognised by the package the
// call resolves to (types first, then imports/requires), `gtag` as an undeclared or
// ambient global.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';

export interface ThirdPartyCall {
  /** The vendor, for the message. */
  readonly vendor: string;
  /** `analytics.track`, for the message. */
  readonly callee: string;
  /** The arguments that carry data (not the event name). */
  readonly payload: readonly ts.Expression[];
}

const VENDORS: readonly { modules: readonly string[]; vendor: string; methods: ReadonlySet<string> }[] = [
  { modules: ['@segment/analytics-node', 'analytics-node', '@segment/analytics-next'], vendor: 'Segment', methods: new Set(['track', 'identify', 'page', 'screen', 'group', 'alias']) },
  { modules: ['mixpanel', 'mixpanel-browser'], vendor: 'Mixpanel', methods: new Set(['track', 'identify', 'alias', 'register', 'register_once', 'set', 'set_once', 'append', 'union']) },
  { modules: ['posthog-node', 'posthog-js'], vendor: 'PostHog', methods: new Set(['capture', 'identify', 'alias', 'setPersonProperties', 'groupIdentify', 'register']) },
  { modules: ['@amplitude/analytics-node', '@amplitude/analytics-browser', '@amplitude/node', 'amplitude-js'], vendor: 'Amplitude', methods: new Set(['track', 'identify', 'logEvent', 'setUserId', 'setUserProperties']) },
];
const SENTRY = /^@sentry\//;

export function thirdPartyCall(ctx: RuleContext, call: ts.CallExpression): ThirdPartyCall | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const shown = callee.getText(ctx.sourceFile).replace(/\s+/g, '');
  if (ts.isIdentifier(callee) && callee.text === 'gtag') return isGlobalGtag(ctx, callee) ? { vendor: 'Google Analytics', callee: 'gtag', payload: call.arguments.slice(2) } : undefined;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const target = resolveCall(ctx, call);
  const module = target?.module;
  if (!module) return undefined;
  if (SENTRY.test(module)) return method === 'setUser' ? { vendor: 'Sentry', callee: shown, payload: call.arguments.slice(0, 1) } : undefined;
  const vendor = VENDORS.find((v) => v.modules.includes(module));
  if (!vendor || !vendor.methods.has(method)) return undefined;
  return { vendor: vendor.vendor, callee: shown, payload: call.arguments.filter((a) => !ts.isStringLiteralLike(skipOuter(ts, a))) };
}

/** `gtag` as Google's global: no declaration, or an ambient one (`declare function gtag`, @types/gtag.js). */
function isGlobalGtag(ctx: RuleContext, id: ts.Identifier): boolean {
  const { ts } = ctx;
  const decl = ctx.checker.getSymbolAtLocation(id)?.declarations?.[0];
  if (!decl) return true;
  if (decl.getSourceFile().isDeclarationFile) return true;
  return ts.isFunctionDeclaration(decl) && !decl.body && !!ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
}
