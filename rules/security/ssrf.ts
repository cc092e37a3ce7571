// ssrf: untrusted data (request, Lambda event, WebSocket message) choosing the scheme,
// host or port of an outbound request — fetch, undici, axios, got, node http/https —
// directly or through project helpers, found by the taint engine. A constant origin
// followed by request data in the path is not reported (that is not a different server).
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { isTestModule } from '../shared/module-imports';
import { findTaintedSinks, flowsOf, relatedSteps, type Sink, type SinkSpec, type TaintedSink, type TransformKind } from '../taint';
import { isDestinationGuard } from './ssrf/guards';
import { ssrfSinksAt, type SsrfSinkData } from './ssrf/sinks';
import { hostParts } from './ssrf/url-host';

const spec: SinkSpec = {
  id: 'ssrf',
  sinksAt: ssrfSinksAt,
  // An encoded value as the whole URL is a relative path (no `:`/`/` left to name a host);
  // inside an authority it still picks the host (`'https://' + encodeURIComponent(host)`).
  isSanitizer: (kind: TransformKind, _node, sink: Sink) => kind === 'url-encode' && (sink.data as SsrfSinkData | undefined)?.position === 'start',
  isGuard: (ctx, guard) => isDestinationGuard(ctx, guard),
  // Browser code fetching a URL from the page is not a server-side request.
  sourceKinds: ['request', 'lambda', 'websocket'],
};

export const rule: Rule = {
  id: 'ssrf',
  category: 'security',
  cwe: [918],
  defaultSeverity: 'error',
  description: 'Untrusted input chooses the scheme, host or port of an outbound HTTP request made by the server.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    for (const found of findTaintedSinks(ctx, spec)) {
      if (found.viaHelper && !callerChoosesHost(ctx, found)) continue;
      report(ctx, found);
    }
  },
};

/**
 * A helper's parameter reaches the URL; the argument passed here may still fix the host
 * (`getJson(\`https://api.example.com/users/${id}\`)`): judge the argument like a URL.
 */
function callerChoosesHost(ctx: RuleContext, found: TaintedSink): boolean {
  const arg = found.reportNode as ts.Expression;
  return hostParts(ctx, arg).some((p) => flowsOf(ctx, p.expr).some((f) => f.origin.kind === 'source'));
}

function report(ctx: RuleContext, found: TaintedSink): void {
  const via = found.viaHelper ? ` through \`${found.viaHelper.name}\`` : '';
  const message = `\`${found.source.label}\` chooses the server \`${found.sink.label}\` sends a request to${via}: check the URL's host against an allow-list, or keep a fixed origin and put the value in the path or query.`;
  ctx.report({ node: found.reportNode, message, related: relatedSteps(found) });
}
