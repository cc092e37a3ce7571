// unsafe-deserialization: untrusted data (request, Lambda event, WebSocket message, the
// page URL) reaching a deserialiser that can run code or build arbitrary objects
// (node-serialize, serialize-to-js, funcster, cryo, php-serialize, v8.deserialize,
// js-yaml 3 `load`), directly or through project helpers, found by the taint engine.
import type { Rule, RuleContext } from '../api';
import { relatedSteps, type SinkSpec, type TaintedSink, taintRule, throughHelper } from '../taint';
import { deserializeSinksAt, type DeserializeSink } from './unsafe-deserialization/sinks';

const spec: SinkSpec = {
  id: 'unsafe-deserialization',
  sinksAt: deserializeSinksAt,
  // No transform makes serialised text safe for these parsers: JSON.stringify keeps the
  // `_$$ND_FUNC$$_` strings node-serialize evaluates, and a schema checks only after the parse.
  isSanitizer: () => false,
};

export const rule: Rule = taintRule(
  {
    id: 'unsafe-deserialization',
    category: 'security',
    cwe: [502],
    defaultSeverity: 'error',
    description: 'Untrusted input reaches a deserialiser that can run code or build arbitrary objects.',
    fixable: false,
  },
  spec,
  report,
);

function report(ctx: RuleContext, found: TaintedSink): void {
  const data = found.sink.data as DeserializeSink;
  const via = throughHelper(found);
  const advice = data.module === 'js-yaml 3' ? 'use `yaml.safeLoad` (or js-yaml 4) and validate the result with a schema' : 'send JSON, read it with `JSON.parse` and validate it with a schema';
  ctx.report({
    node: found.reportNode,
    message: `\`${found.source.label}\` reaches \`${found.sink.label}\`${via} (${data.module}, which ${data.danger}): ${advice}.`,
    related: relatedSteps(found),
  });
}
