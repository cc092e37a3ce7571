// open-redirect: untrusted data (request, Lambda event, the page URL) choosing where a
// redirect or the browser's location sends the user, directly or through project helpers
// in any file, found by the taint engine. Targets whose constant beginning fixes the origin,
// allow-listed values and single-slash / same-origin checks are safe. No fix: the right
// fallback (a home page, an error) is the application's choice.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { relatedSteps, type SinkSpec, type TaintedSink, type TransformKind, taintRule, throughHelper } from '../taint';
import { isSameOriginGuard } from './open-redirect/guards';
import { redirectSinksAt } from './open-redirect/sinks';

const spec: SinkSpec = {
  id: 'open-redirect',
  sinksAt: redirectSinksAt,
  isSanitizer: (kind: TransformKind, node: ts.Node) => kind === 'url-encode' && encodesSlashes(node),
  isGuard: (ctx, guard) => isSameOriginGuard(ctx, guard),
};

export const rule: Rule = taintRule(
  {
    id: 'open-redirect',
    category: 'security',
    cwe: [601],
    defaultSeverity: 'warning',
    description: 'Untrusted input decides the URL a redirect or the browser location sends the user to.',
    fixable: false,
  },
  spec,
  report,
);

function report(ctx: RuleContext, found: TaintedSink): void {
  const via = throughHelper(found);
  ctx.report({
    node: found.reportNode,
    message: `\`${found.source.label}\` decides where \`${found.sink.label}\` sends the user${via}: redirect only to paths that start with a single \`/\`, or check the host against an allow-list.`,
    related: relatedSteps(found),
  });
}

/**
 * `encodeURIComponent(x)` / `querystring.escape(x)` leave no `/` or `:`, so the result is a
 * relative path; `encodeURI` and the global `escape` keep `//evil.example` as it is.
 */
function encodesSlashes(node: ts.Node): boolean {
  const call = node as ts.CallExpression;
  const callee = call.expression;
  if (!callee) return false;
  const text = callee.getText();
  return text === 'encodeURIComponent' || /\.(?:escape|stringify)$/.test(text);
}
