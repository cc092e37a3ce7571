// header-injection: untrusted input choosing a response header's name, or written into
// a header whose value carries parameters or attributes (Content-Disposition,
// Set-Cookie, Link, Refresh, Content-Type), where `;` and `,` in it add its own. Node
// already refuses CR/LF in headers, so classic response splitting is not the risk here.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { relatedSteps, type Sink, type SinkSpec, type TaintedSink, type TransformKind, taintRule, throughHelper } from '../taint';
import { headerSinksAt, type HeaderSink } from './header-injection/sinks';

const spec: SinkSpec = {
  id: 'header-injection',
  sinksAt: headerSinksAt,
  isSanitizer: (kind: TransformKind, _node: ts.Node, sink: Sink) => (sink.data as HeaderSink).form === 'value' && (kind === 'header-encode' || kind === 'url-encode' || kind === 'basename'),
  sourceKinds: ['request', 'lambda', 'websocket'],
};

const ADVICE: Readonly<Record<string, string>> = {
  'content-disposition': 'use `res.attachment(name)` or the content-disposition package, which quote and encode the file name',
  'set-cookie': 'use `res.cookie(name, value, options)`, which encodes the value and sets the attributes itself',
};

export const rule: Rule = taintRule(
  {
    id: 'header-injection',
    category: 'security',
    cwe: [113],
    defaultSeverity: 'warning',
    description: 'Untrusted input names a response header or adds parameters to a structured header value.',
    fixable: false,
  },
  spec,
  report,
);

function report(ctx: RuleContext, found: TaintedSink): void {
  const sink = found.sink.data as HeaderSink;
  const via = throughHelper(found);
  const header = sink.form === 'value' ? sink.header : '';
  const message =
    sink.form === 'name'
      ? `\`${found.source.label}\` chooses the name of the header \`${found.sink.label}\` sets${via}: allow only header names from a fixed list.`
      : `\`${found.source.label}\` is written into the \`${header}\` header by \`${found.sink.label}\`${via}: \`;\` or \`,\` in it adds parameters of the caller's choosing; ${ADVICE[header.toLowerCase()] ?? 'encode it (encodeURIComponent) or allow only known values'}.`;
  ctx.report({ node: found.reportNode, message, related: relatedSteps(found) });
}
