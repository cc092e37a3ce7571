// xss: untrusted data (request data, the page URL, cross-window messages) written into
// HTML without escaping — a server response served as HTML, or a DOM API that parses
// HTML — directly or through project helpers in any file, found by the taint engine.
// Offers escape-html around template substitutions in element text, and `textContent`
// for a plain value written to `innerHTML`.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { flowsOf, isDangerous, relatedSteps, type Sink, type SinkSpec, type TaintedSink, type TransformKind, taintRule, throughHelper } from '../taint';
import { domSinksAt } from './xss/dom-sinks';
import { escapeHtmlFix, textContentFix } from './xss/escape-fix';
import { hasMarkup } from './xss/html-text';
import { serverSinksAt, type XssSinkData } from './xss/server-sinks';

/** Escaped or sanitised for HTML; percent-encoding leaves no `<` or `"` either. JSON text is still markup. */
const SANITIZERS: ReadonlySet<TransformKind> = new Set(['html-escape', 'html-sanitize', 'url-encode', 'uri-encode']);

const spec: SinkSpec = {
  id: 'xss',
  sinksAt: (ctx, node) => {
    const server = serverSinksAt(ctx, node);
    return server.length > 0 ? server : domSinksAt(ctx, node);
  },
  isSanitizer: (kind: TransformKind) => SANITIZERS.has(kind),
};

export const rule: Rule = taintRule(
  {
    id: 'xss',
    category: 'security',
    cwe: [79],
    defaultSeverity: 'error',
    description: 'Untrusted input is written into an HTML response or parsed as HTML in the page without escaping.',
    fixable: true,
  },
  spec,
  report,
);

function report(ctx: RuleContext, found: TaintedSink): void {
  const data = found.sink.data as XssSinkData;
  const via = throughHelper(found);
  const what = `\`${found.source.label}\``;
  const message =
    data.side === 'server'
      ? `${what} reaches the HTML response of \`${found.sink.label}\`${via} unescaped: escape it for HTML (escape-html) or sanitise it (DOMPurify) before it goes into the page.`
      : `${what} reaches \`${found.sink.label}\`${via}, which parses it as HTML: write it with \`textContent\` or sanitise it with DOMPurify.`;
  ctx.report({ node: found.reportNode, message, related: relatedSteps(found), fixes: found.viaHelper ? undefined : () => fixesFor(ctx, found.sink) });
}

function fixesFor(ctx: RuleContext, sink: Sink) {
  const data = sink.data as XssSinkData;
  const tainted = (e: ts.Expression) => flowsOf(ctx, e).some((f) => f.origin.kind === 'source' && isDangerous(ctx, spec, f, sink));
  const escape = escapeHtmlFix(ctx, sink.expr, tainted);
  if (escape) return [escape];
  return data.innerHtml && !hasMarkup(ctx, sink.expr) ? [textContentFix(ctx, data.innerHtml)] : [];
}
