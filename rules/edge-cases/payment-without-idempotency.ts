// payment-without-idempotency: a Stripe call that moves money (charge, payment intent,
// refund, transfer, payout, subscription) sent without an idempotency key, so a retry
// after a timeout or a double submit can charge or pay out twice; and a `catch` around
// such a call that answers a card decline with 500.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { shortText } from '../shared/source-text';
import { forEachCall } from '../shared/walk';
import { insertProperty, objectLiteralOf, propertyOf } from '../shared/option-objects';
import { untoldDecline } from './payment-without-idempotency/declines';
import { idempotencyIdFor } from './payment-without-idempotency/key-source';
import { stripeMoneyCall, type StripeMoneyCall } from './payment-without-idempotency/stripe-calls';

export const rule: Rule = {
  id: 'payment-without-idempotency',
  category: 'edge-cases',
  cwe: [837],
  defaultSeverity: 'warning',
  description: 'A Stripe call that moves money (charge, payment intent, refund, transfer, payout, subscription) is sent without an idempotency key, or its catch answers card declines with 500.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    forEachCall(ctx, (call) => {
      const target = stripeMoneyCall(ctx, call);
      if (target && call.arguments.length > 0 && lacksIdempotencyKey(ctx, call)) report(ctx, call, target);
    });
    const visit = (node: ts.Node): void => {
      if (ctx.ts.isTryStatement(node)) reportUntoldDecline(ctx, node);
      ctx.ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function reportUntoldDecline(ctx: RuleContext, tryStatement: ts.TryStatement): void {
  const found = untoldDecline(ctx, tryStatement);
  if (!found) return;
  const start = found.clause.getStart(ctx.sourceFile);
  const header = ctx.sourceFile.text.slice(start, found.clause.block.getStart(ctx.sourceFile)).trimEnd();
  const code = `${shortText(ctx, skipOuter(ctx.ts, found.stripeCall.expression))}(…)`;
  ctx.report({
    start,
    end: start + header.length,
    message: `This \`catch\` answers every failure of \`${code}\` with 500: tell a card decline (\`err.type === 'StripeCardError'\`) apart and answer it with 402 and its message, so a declined card is not reported as a server error.`,
    related: [{ node: found.answer, message: 'The 500 answer.' }],
  });
}

/** True only when the request options certainly carry no `idempotencyKey`. */
function lacksIdempotencyKey(ctx: RuleContext, call: ts.CallExpression): boolean {
  const options = call.arguments[1];
  if (!options) return true;
  const literal = objectLiteralOf(ctx, options);
  if (!literal) return false;
  const key = propertyOf(ctx, literal, 'idempotencyKey');
  return !!key && !key.found;
}

function report(ctx: RuleContext, call: ts.CallExpression, target: StripeMoneyCall): void {
  const code = `${shortText(ctx, skipOuter(ctx.ts, call.expression))}(…)`;
  const id = idempotencyIdFor(ctx, call);
  const key = id && keyExpression(target, id);
  const risk = `so a retried request (timeout, double submit, redelivered job) can create a second ${target.movement}`;
  ctx.report({
    node: call,
    message: key
      ? `\`${code}\` sends no idempotency key, ${risk}: pass \`{ idempotencyKey: ${key} }\` as its second argument.`
      : `\`${code}\` sends no idempotency key, ${risk}: pass \`{ idempotencyKey }\` derived from the order or request it is for (a random key per attempt does not protect a retry).`,
    fixes: () => {
      const fix = key ? addKeyFix(ctx, call, key) : undefined;
      return fix ? [fix] : [];
    },
  });
}

/** One key per operation and order: a refund must not reuse the key of the payment it refunds. */
function keyExpression(target: StripeMoneyCall, id: string): string {
  return id === 'idempotencyKey' ? id : `\`${target.movement}-\${${id}}\``;
}

function addKeyFix(ctx: RuleContext, call: ts.CallExpression, key: string): Fix | undefined {
  const title = `Send idempotency key ${key}`;
  const [params, options] = call.arguments;
  if (!options) {
    return { title, isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start: params.getEnd(), end: params.getEnd(), newText: `, { idempotencyKey: ${key} }` }] };
  }
  const literal = ctx.ts.isObjectLiteralExpression(skipOuter(ctx.ts, options)) ? (skipOuter(ctx.ts, options) as ts.ObjectLiteralExpression) : undefined;
  return literal && { title, isPreferred: true, safe: false, edits: [insertProperty(ctx, literal, `idempotencyKey: ${key}`)] };
}
