// log-injection: untrusted text written into a plain-text log line (console.*,
// process.stdout/stderr.write, util.format) where a newline in it forges a log entry.
// Structured loggers (pino, winston's JSON format, bunyan) encode values and are not
// sinks. Offers to log the value through JSON.stringify, which escapes CR/LF.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { relatedSteps, type Sink, type SinkSpec, type TaintedSink, type TransformKind, taintRule, throughHelper } from '../taint';
import { logSinksAt, stripsLineBreaks } from './log-injection/sinks';

const spec: SinkSpec = {
  id: 'log-injection',
  sinksAt: logSinksAt,
  isSanitizer: (kind: TransformKind, node: ts.Node, _sink: Sink) => kind === 'json' || kind === 'url-encode' || kind === 'uri-encode' || (kind === 'replace' && stripsLineBreaks(node)),
  sourceKinds: ['request', 'lambda', 'websocket'],
};

export const rule: Rule = taintRule(
  {
    id: 'log-injection',
    category: 'security',
    cwe: [117],
    defaultSeverity: 'warning',
    description: 'Untrusted text is written into a plain-text log line, where a newline forges log entries.',
    fixable: true,
  },
  spec,
  report,
);

function report(ctx: RuleContext, found: TaintedSink): void {
  const via = throughHelper(found);
  ctx.report({
    node: found.reportNode,
    message: `\`${found.source.label}\` is written into the log line of \`${found.sink.label}\`${via}: a newline in it forges log entries; log it with \`JSON.stringify\` or as a field of a structured logger.`,
    related: relatedSteps(found),
    fixes: found.viaHelper ? undefined : () => stringifyFix(ctx, found),
  });
}

/** `${req.query.q}` → `${JSON.stringify(req.query.q)}`: the template part or operand that reads the source, when the source is read inside the logged text. */
function stringifyFix(ctx: RuleContext, found: TaintedSink): Fix[] {
  const { ts } = ctx;
  const sink = found.sink.expr;
  let part: ts.Node = found.source.node;
  if (part.getSourceFile() !== ctx.sourceFile || part.pos < sink.pos || part.end > sink.end) return [];
  const isPart = (n: ts.Node) => ts.isTemplateSpan(n.parent) || (ts.isBinaryExpression(n.parent) && n.parent.operatorToken.kind === ts.SyntaxKind.PlusToken);
  while (part !== sink && !isPart(part)) part = part.parent;
  if (part === skipOuter(ts, sink) && !isPart(part) && ts.isTemplateExpression(part)) return [];
  const text = part.getText(ctx.sourceFile);
  return [{ title: `Log \`${text}\` through \`JSON.stringify\``, isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start: part.getStart(ctx.sourceFile), end: part.getEnd(), newText: `JSON.stringify(${text})` }] }];
}
