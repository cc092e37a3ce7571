// code-injection: untrusted data (request, Lambda event, WebSocket message, the page URL)
// reaching a place where a string is compiled and run as JavaScript — eval, the Function
// constructor, node:vm, sandbox packages with known escapes, string timers in the
// browser — directly or through project helpers in any file, found by the taint engine.
// Offers `JSON.parse` where eval only parses a value.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { isTestModule } from '../shared/module-imports';
import { findTaintedSinks, relatedSteps, type SinkSpec, type TaintedSink, type TransformKind } from '../taint';
import { codeSinksAt, type CodeSinkForm } from './code-injection/sinks';
import { jsonParseFix } from './code-injection/json-parse-fix';

// JSON.stringify turns any value into a JavaScript literal: evaluated, it is data again.
// No other transform makes text safe to run (an URL-encoded or HTML-escaped string can still call functions).
const isSanitizer = (kind: TransformKind) => kind === 'json';

const spec: SinkSpec = {
  id: 'code-injection',
  sinksAt: (ctx, node) => codeSinksAt(ctx, node).filter((s) => s.data !== 'timer'),
  isSanitizer,
};
// Node's timers throw on a string; only a browser compiles it, so only browser data reaches one.
const timerSpec: SinkSpec = {
  id: 'code-injection/timer',
  sinksAt: (ctx, node) => codeSinksAt(ctx, node).filter((s) => s.data === 'timer'),
  isSanitizer,
  sourceKinds: ['browser'],
};

export const rule: Rule = {
  id: 'code-injection',
  category: 'security',
  cwe: [94, 95],
  defaultSeverity: 'error',
  description: 'Untrusted input is compiled and run as JavaScript (eval, Function, vm, sandbox libraries, string timers).',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    for (const found of [...findTaintedSinks(ctx, spec), ...findTaintedSinks(ctx, timerSpec)]) report(ctx, found);
  },
};

const ADVICE: Readonly<Record<CodeSinkForm, string>> = {
  eval: 'parse data with `JSON.parse` or map the input to a fixed set of operations instead of running it',
  function: 'do not build functions from input; map it to a fixed set of operations',
  vm: 'node:vm is not a security boundary; map the input to a fixed set of operations or run untrusted code in a separate, locked-down process',
  sandbox: 'this sandbox has known escapes; map the input to a fixed set of operations or run untrusted code in a separate, locked-down process',
  timer: 'pass a function to the timer, not a string',
};

function report(ctx: RuleContext, found: TaintedSink): void {
  const { ts } = ctx;
  const form = found.sink.data as CodeSinkForm;
  const via = found.viaHelper ? ` through \`${found.viaHelper.name}\`` : '';
  const message = `\`${found.source.label}\` is run as code by \`${found.sink.label}\`${via}: ${ADVICE[form]}.`;
  const call = found.sink.expr.parent;
  const fixable = !found.viaHelper && form === 'eval' && ts.isCallExpression(call) && call.arguments[0] === found.sink.expr;
  ctx.report({
    node: found.reportNode,
    message,
    related: relatedSteps(found),
    fixes: fixable ? () => [jsonParseFix(ctx, call as ts.CallExpression)].filter((f) => f !== undefined) : undefined,
  });
}
