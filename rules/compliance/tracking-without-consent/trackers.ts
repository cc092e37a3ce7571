// Where browser analytics start: the init call of a tracking library (by the module it comes
// from), gtag('config') / fbq('init') on the page's global (by its declaration), and a script
// element pointed at a tag manager's or tracker's loader URL.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, skipOuter } from '../../shared/callee';

export interface TrackerStart {
  readonly node: ts.Node;
  /** How the message names it: `posthog.init(…)`, `gtag('config', …)`. */
  readonly label: string;
  /** The options object whose opt-out setting starts the library without tracking. */
  readonly options?: ts.Expression;
  readonly optOutKeys: readonly string[];
  /** For gtag and fbq: the global's name, whose consent default may come first. */
  readonly global?: 'gtag' | 'fbq';
}

/** module → the members whose call starts tracking, and the options' opt-out keys. */
const LIBRARIES: Record<string, { readonly starts: readonly string[]; readonly optionsIndex: number; readonly optOutKeys: readonly string[] }> = {
  'posthog-js': { starts: ['init'], optionsIndex: 1, optOutKeys: ['opt_out_capturing_by_default', 'cookieless_mode'] },
  'mixpanel-browser': { starts: ['init'], optionsIndex: 1, optOutKeys: ['opt_out_tracking_by_default'] },
  'react-ga': { starts: ['initialize'], optionsIndex: 1, optOutKeys: [] },
  'react-ga4': { starts: ['initialize'], optionsIndex: 1, optOutKeys: [] },
  '@segment/analytics-next': { starts: ['load'], optionsIndex: 1, optOutKeys: [] },
  '@amplitude/analytics-browser': { starts: ['init'], optionsIndex: 2, optOutKeys: ['optOut'] },
  'react-hotjar': { starts: ['initialize'], optionsIndex: -1, optOutKeys: [] },
  '@hotjar/browser': { starts: ['init'], optionsIndex: -1, optOutKeys: [] },
  'react-gtm-module': { starts: ['initialize'], optionsIndex: -1, optOutKeys: [] },
  'react-facebook-pixel': { starts: ['init'], optionsIndex: -1, optOutKeys: [] },
};

/** Loader scripts that start tracking as soon as they run. */
const LOADER_HOSTS = ['www.googletagmanager.com', 'static.hotjar.com', 'connect.facebook.net', 'cdn.segment.com', 'cdn.mxpnl.com', 'www.google-analytics.com'];

export function findTrackerStarts(ctx: RuleContext): TrackerStart[] {
  const { ts } = ctx;
  const out: TrackerStart[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const start = libraryStart(ctx, node) ?? globalStart(ctx, node);
      if (start) out.push(start);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const start = loaderScript(ctx, node);
      if (start) out.push(start);
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return out;
}

function libraryStart(ctx: RuleContext, call: ts.CallExpression): TrackerStart | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const origin = originOf(ctx, callee);
  const lib = origin && LIBRARIES[origin.module];
  if (!origin || !lib) return undefined;
  const member = origin.members[origin.members.length - 1] ?? origin.exportPath[origin.exportPath.length - 1];
  if (!member || !lib.starts.includes(member)) return undefined;
  const text = callee.getText(ctx.sourceFile).replace(/\s+/g, '');
  return { node: call, label: `${text}(…)`, options: lib.optionsIndex >= 0 ? call.arguments[lib.optionsIndex] : undefined, optOutKeys: lib.optOutKeys };
}

/** gtag('config', id) and fbq('init', id) on the page's global. */
function globalStart(ctx: RuleContext, call: ts.CallExpression): TrackerStart | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) && isWindow(ctx, callee.expression) ? callee.name : undefined;
  if (!name || (name.text !== 'gtag' && name.text !== 'fbq')) return undefined;
  const command = call.arguments[0];
  if (!command || !ts.isStringLiteralLike(command) || command.text !== (name.text === 'gtag' ? 'config' : 'init')) return undefined;
  if (ts.isIdentifier(callee) && !isAmbientGlobal(ctx, callee)) return undefined;
  return { node: call, label: `${name.text}('${command.text}', …)`, optOutKeys: [], global: name.text };
}

function isWindow(ctx: RuleContext, e: ts.Expression): boolean {
  const x = skipOuter(ctx.ts, e);
  return ctx.ts.isIdentifier(x) && x.text === 'window';
}

/** Declared with `declare` (a .d.ts, `declare global`, `declare function`), or undeclared in plain JS. */
function isAmbientGlobal(ctx: RuleContext, id: ts.Identifier): boolean {
  const { ts } = ctx;
  const decls = ctx.checker.getSymbolAtLocation(id)?.declarations;
  if (!decls?.length) return /\.[cm]?jsx?$/.test(ctx.fileName);
  return decls.every((d) => d.getSourceFile().isDeclarationFile || (ts.getCombinedModifierFlags(d as ts.Declaration) & ts.ModifierFlags.Ambient) !== 0);
}

/** `script.src = 'https://www.googletagmanager.com/gtm.js?id=' + id`. */
function loaderScript(ctx: RuleContext, assign: ts.BinaryExpression): TrackerStart | undefined {
  const { ts } = ctx;
  const left = skipOuter(ts, assign.left);
  if (!ts.isPropertyAccessExpression(left) || left.name.text !== 'src') return undefined;
  const right = skipOuter(ts, assign.right);
  const head = ts.isStringLiteralLike(right) ? right.text : ts.isTemplateExpression(right) ? right.head.text : ts.isBinaryExpression(right) && ts.isStringLiteralLike(right.left) ? right.left.text : undefined;
  if (!head) return undefined;
  const host = /^(?:https?:)?\/\/([^/]+)\//.exec(head)?.[1];
  if (!host || !LOADER_HOSTS.includes(host)) return undefined;
  return { node: assign, label: `${left.getText(ctx.sourceFile)} = '//${host}/…'`, optOutKeys: [] };
}
