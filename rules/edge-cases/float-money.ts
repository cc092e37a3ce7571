// float-money: amounts of money computed in binary floating point (`price * quantity`,
// `subtotal + tax` on `number`s) whose result is stored, sent or returned, and
// `Number(total.toFixed(2))`-style rounding that parses a formatted amount back into a
// float. Integer minor units (`*Cents`, Stripe's `amount`), rounding to cents and
// display-only formatting are the cure, not the disease. No fix: the remedy is a data model choice.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { destinationOf } from '../shared/float-money-destination';
import { divides, isArithmetic, isIntegerConstant, isPlainNumber, leafKind, leavesOf, mayHoldMoney } from '../shared/float-money-values';
import { isTestModule } from '../shared/module-imports';
import { shortText } from '../shared/source-text';
import { libMemberCall, numericConversionOf } from '../shared/unchecked-numeric-input-values';

const ROUNDING = new Set(['round', 'floor', 'ceil', 'trunc']);
const REMEDY = 'keep amounts in integer cents (`Math.round(x * 100)`) or a decimal type (decimal.js, Dinero, `Prisma.Decimal`)';

export const rule: Rule = {
  id: 'float-money',
  category: 'edge-cases',
  cwe: [681, 1339],
  defaultSeverity: 'warning',
  description: 'Money is computed in binary floating point (or rounded with `toFixed` and parsed back), so totals drift by fractions of a cent.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      const conversion = numericConversionOf(ctx, node);
      if (conversion && checkToFixedRoundTrip(ctx, conversion.node, conversion.arg)) return;
      if (isArithmetic(ctx, node) && isOutermost(ctx, node)) checkArithmetic(ctx, node);
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

/** Not an operand of a larger `+ - * /` (that one is checked as a whole). */
function isOutermost(ctx: RuleContext, e: ts.BinaryExpression): boolean {
  let n: ts.Node = e;
  while (ctx.ts.isParenthesizedExpression(n.parent)) n = n.parent;
  // `total += price * qty`: the compound assignment is the whole computation.
  return !isArithmetic(ctx, n.parent);
}

function checkArithmetic(ctx: RuleContext, e: ts.BinaryExpression): void {
  if (!mayHoldMoney(ctx, e) || !isPlainNumber(ctx, e)) return;
  const leaves = leavesOf(ctx, e.left).concat(leavesOf(ctx, e.right));
  const money = leaves.filter((l) => l.kind === 'money');
  if (money.length === 0) return;
  // `5 * quantity` with `const SHIPPING_FEE = 5`: whole numbers stay exact unless divided.
  if (money.every((l) => isIntegerConstant(ctx, l.node)) && !divides(ctx, e)) return;
  if (isRoundedOrFormatted(ctx, e)) return;
  const dest = destinationOf(ctx, e);
  if (!dest) return;
  ctx.report({
    node: e,
    message: `\`${shortText(ctx, e)}\` computes money in binary floating point and ${dest.what}: ${REMEDY}.`,
    related: [{ node: dest.node, message: `the amount ${dest.what} here` }],
  });
}

/** `Math.round(price * 100)`, `(a + b).toFixed(2)`: converted to cents, or formatted for display. */
function isRoundedOrFormatted(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  let n: ts.Node = e;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression)) {
    const math = libMemberCall(ctx, p, 'Math');
    return !!math && ROUNDING.has(math);
  }
  return ts.isPropertyAccessExpression(p) && p.expression === n && (p.name.text === 'toFixed' || p.name.text === 'toPrecision');
}

/** `Number(total.toFixed(2))`, `parseFloat((a * b).toFixed(2))`, `+price.toFixed(2)` on an amount. */
function checkToFixedRoundTrip(ctx: RuleContext, node: ts.Expression, arg: ts.Expression): boolean {
  const { ts } = ctx;
  const call = skipOuter(ts, arg);
  if (!ts.isCallExpression(call)) return false;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'toFixed') return false;
  const amount = skipOuter(ts, callee.expression);
  if (!isPlainNumber(ctx, amount)) return false;
  const isAmount = isArithmetic(ctx, amount) ? leavesOf(ctx, amount).some((l) => l.kind === 'money') : leafKind(ctx, amount) === 'money';
  if (!isAmount) return false;
  ctx.report({
    node,
    message: `\`${shortText(ctx, node)}\` rounds money by formatting it and parses the text back into a binary float, which still cannot hold most cent values exactly: ${REMEDY}.`,
  });
  return true;
}
