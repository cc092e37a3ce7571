// Where a URL decides which server a request goes to: the URL of outbound requests
// (fetch, undici, node-fetch, axios, got, node http/https — see shared/outbound-http),
// axios's `url`/`baseURL` options (also of `axios.create`), node's `host`/`hostname`/`port`
// options — but only the parts of it in scheme/host/port position (see url-host.ts).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { optionValue, outboundCall } from '../../shared/outbound-http';
import type { Sink } from '../../taint';
import { hostParts, type HostPosition } from './url-host';

export interface SsrfSinkData {
  readonly position: HostPosition;
}

export function ssrfSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return [];
  const out = outboundCall(ctx, node);
  if (out) {
    const urls = [out.url, out.client === 'axios' ? optionValue(ctx, out.options, 'baseURL') : undefined];
    const sinks = urls.flatMap((u) => (u ? sinksOfUrl(ctx, u, out.label) : []));
    if (out.client === 'node-http' && out.options) {
      for (const key of ['host', 'hostname', 'port']) {
        const value = optionValue(ctx, out.options, key);
        if (value) sinks.push({ expr: value, label: out.label, data: { position: 'authority' } satisfies SsrfSinkData });
      }
    }
    return sinks;
  }
  // axios.create({ baseURL }): every request of the instance goes there.
  const callee = skipOuter(ts, node.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'create') {
    const target = resolveCall(ctx, node);
    const base = target?.module === 'axios' ? optionValue(ctx, node.arguments[0], 'baseURL') : undefined;
    if (base) return sinksOfUrl(ctx, base, 'axios.create');
  }
  return [];
}

function sinksOfUrl(ctx: RuleContext, url: ts.Expression, label: string): Sink[] {
  return hostParts(ctx, url).map((p) => ({ expr: p.expr, node: url, label, data: { position: p.position } satisfies SsrfSinkData }));
}
