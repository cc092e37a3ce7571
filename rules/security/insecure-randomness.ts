// insecure-randomness: `Math.random()` making a value an attacker must not guess — a
// token, password, secret, nonce, one-time or reset code, session id — decided by the
// name the value lands in within the same function. V8's Math.random is xorshift128+:
// a few outputs reveal its state and every later value. The fix uses node:crypto.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { isTestModule } from '../shared/module-imports';
import { secureRandomFix } from '../shared/random-fix';
import { isMathRandom, randomSink, type RandomSink } from '../shared/random-flow';
import { forEachCall } from '../shared/walk';

export const rule: Rule = {
  id: 'insecure-randomness',
  category: 'security',
  cwe: [338],
  defaultSeverity: 'error',
  description: '`Math.random()` makes a token, password, secret, nonce, one-time code or session id that must be unguessable.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx) || ctx.sourceFile.isDeclarationFile) return;
    forEachCall(ctx, (call) => {
      if (isMathRandom(ctx, call)) checkRandom(ctx, call);
    });
  },
};

function checkRandom(ctx: RuleContext, call: ts.CallExpression): void {
  const sink = randomSink(ctx, call);
  if (!sink) return;
  ctx.report({
    node: call,
    message: `\`Math.random()\` is predictable but makes ${describe(sink)}: use \`crypto.randomBytes\`, \`crypto.randomInt\` or \`crypto.randomUUID\` from node:crypto.`,
    related: [{ node: sink.node, message: `lands in \`${sink.name}\``, step: true }],
    fixes: () => {
      const fix = secureRandomFix(ctx, call);
      return fix ? [fix] : [];
    },
  });
}

function describe(sink: RandomSink): string {
  switch (sink.kind) {
    case 'return':
      return `the value returned by \`${sink.name}\``;
    case 'argument':
      return `the \`${sink.name}\` argument`;
    case 'cookie':
      return `the \`${sink.name}\` cookie`;
    default:
      return `\`${sink.name}\``;
  }
}
