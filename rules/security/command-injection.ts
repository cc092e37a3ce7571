// command-injection: untrusted data (request, Lambda event, WebSocket message) reaching
// a shell command line or the name of the program to run, directly or through project
// helpers in any file, found by the taint engine. Offers to run the program without a
// shell when the command is plain words.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { relatedSteps, type Sink, type SinkSpec, type TaintedSink, type TransformKind, taintRule, throughHelper } from '../taint';
import { commandSinksAt, type CommandSinkForm } from './command-injection/sinks';
import { execFileFix } from './command-injection/exec-file-fix';

const spec: SinkSpec = {
  id: 'command-injection',
  sinksAt: commandSinksAt,
  // Quoting for the shell makes a value one word; it does not make it a safe program name.
  isSanitizer: (kind: TransformKind, _node: ts.Node, sink: Sink) => kind === 'shell-quote' && sink.data !== 'program',
  // Browser data never reaches a server's child_process.
  sourceKinds: ['request', 'lambda', 'websocket'],
};

export const rule: Rule = taintRule(
  {
    id: 'command-injection',
    category: 'security',
    cwe: [78],
    defaultSeverity: 'error',
    description: 'Untrusted input reaches a shell command line or chooses the program that is run.',
    fixable: true,
  },
  spec,
  report,
);

function report(ctx: RuleContext, found: TaintedSink): void {
  const { ts } = ctx;
  const form = found.sink.data as CommandSinkForm;
  const via = throughHelper(found);
  const what = `\`${found.source.label}\``;
  const message =
    form === 'program'
      ? `${what} chooses the program \`${found.sink.label}\` runs${via}: pick the program from a fixed list instead of taking it from input.`
      : `${what} reaches the shell command line of \`${found.sink.label}\`${via}: run the program with \`execFile\`/\`spawn\` and pass the value as an argument, without a shell.`;
  const sinkCall = found.sink.expr.parent;
  const fixable = !found.viaHelper && form === 'shell-command' && ts.isCallExpression(sinkCall) && sinkCall.arguments[0] === found.sink.expr;
  ctx.report({
    node: found.reportNode,
    message,
    related: relatedSteps(found),
    fixes: fixable ? () => [execFileFix(ctx, sinkCall)].filter((f) => f !== undefined) : undefined,
  });
}
