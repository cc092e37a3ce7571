// Which values of an arithmetic expression are amounts of money held in binary floating
// point. A name is a signal only together with the type: the value must be a `number`
// (a Decimal, Dinero, big.js or Prisma.Decimal is an object and never matches), named
// like an amount (`price`, `unitPrice`, `shipping_fee`), and not an amount in integer minor
// units (`priceCents`, `amount_in_cents`, Stripe's `amount`) nor a rate or a count.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { packageOfFile, skipOuter } from './callee';
import { variableWrites } from './string-building';

/** Words that make a name an amount on their own. */
const MONEY_WORDS = new Set(['price', 'prices', 'amount', 'amounts', 'cost', 'costs', 'fee', 'fees', 'tax', 'taxes', 'discount', 'discounts', 'subtotal', 'balance', 'balances', 'payout', 'refund', 'revenue']);
/** Integer minor units: exact in a double, the cure rather than the disease. */
const MINOR_UNIT_WORDS = new Set(['cents', 'cent', 'minor', 'pence', 'penny', 'pennies', 'satoshi', 'satoshis', 'sats', 'micros', 'paise', 'kopecks']);
/** Words that make a money-ish name something else: a rate, a count, an id. */
const NOT_AMOUNT_WORDS = new Set(['rate', 'rates', 'percent', 'percentage', 'pct', 'ratio', 'count', 'id', 'ids', 'index', 'idx', 'factor', 'multiplier', 'bps', 'currency', 'code', 'digits', 'precision', 'decimals']);
/** Packages whose `amount` fields are integer minor units. */
const MINOR_UNIT_PACKAGES = new Set(['stripe', '@stripe/stripe-js']);

export const ARITHMETIC_OPERATORS = new Set(['+', '-', '*', '/', '+=', '-=', '*=', '/=']);

export type Leaf = { readonly node: ts.Expression; readonly kind: 'money' | 'minor' | 'other' };

/** `unitPriceWithTax` → unit, price, with, tax; `amount_in_cents` → amount, in, cents. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** The name a value is read by: `price`, `item.unitPrice`, `row['total_amount']`. */
function nameOf(ctx: RuleContext, e: ts.Expression): ts.Identifier | ts.StringLiteral | ts.PrivateIdentifier | undefined {
  const { ts } = ctx;
  if (ts.isIdentifier(e)) return e;
  if (ts.isPropertyAccessExpression(e)) return e.name;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteral(e.argumentExpression)) return e.argumentExpression;
  return undefined;
}

/** True when the expression's type is a plain `number` (or a number literal/union of them). */
export function isPlainNumber(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(e);
  const parts = type.isUnion() ? type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))) : [type];
  return parts.length > 0 && parts.every((t) => !!(t.flags & ts.TypeFlags.NumberLike));
}

/** What a leaf of an arithmetic expression is, as money. */
export function leafKind(ctx: RuleContext, e: ts.Expression, depth = 0): Leaf['kind'] {
  const name = nameOf(ctx, e);
  if (!name || !isPlainNumber(ctx, e)) return 'other';
  const words = wordsOf(name.text);
  if (!words.some((w) => MONEY_WORDS.has(w))) return ctx.ts.isIdentifier(e) && !words.some((w) => NOT_AMOUNT_WORDS.has(w) || MINOR_UNIT_WORDS.has(w)) && isComputedAmount(ctx, e, depth) ? 'money' : 'other';
  if (words.some((w) => MINOR_UNIT_WORDS.has(w)) || declaredByMinorUnitPackage(ctx, name)) return 'minor';
  if (words.some((w) => NOT_AMOUNT_WORDS.has(w))) return 'other';
  return 'money';
}

/** `const total = subtotal + tax` / `let total = 0; total += line.price * line.qty`: a local computed from amounts. */
function isComputedAmount(ctx: RuleContext, id: ts.Identifier, depth: number): boolean {
  const { ts } = ctx;
  if (depth > 2) return false;
  const decl = ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || decl.getSourceFile() !== ctx.sourceFile) return false;
  const writes = variableWrites(ctx, decl) ?? [];
  return writes.some((w) => {
    const x = skipOuter(ts, w);
    return isArithmetic(ctx, x) && leavesOf(ctx, x, depth + 1).some((l) => l.kind === 'money');
  });
}

function declaredByMinorUnitPackage(ctx: RuleContext, name: ts.Node): boolean {
  const decls = ctx.checker.getSymbolAtLocation(name)?.declarations ?? [];
  return decls.some((d) => MINOR_UNIT_PACKAGES.has(packageOfFile(d.getSourceFile().fileName) ?? ''));
}

/** True for `+ - * /` and their compound assignments. */
export function isArithmetic(ctx: RuleContext, n: ts.Node): n is ts.BinaryExpression {
  return ctx.ts.isBinaryExpression(n) && ARITHMETIC_OPERATORS.has(n.operatorToken.getText());
}

/** The operands of an arithmetic tree (through parentheses and nested `+ - * /`). */
export function leavesOf(ctx: RuleContext, e: ts.Expression, depth = 0): Leaf[] {
  const x = skipOuter(ctx.ts, e);
  if (isArithmetic(ctx, x)) return [...leavesOf(ctx, x.left, depth), ...leavesOf(ctx, x.right, depth)];
  return [{ node: x, kind: leafKind(ctx, x, depth) }];
}

/** A leaf that cannot hold a fraction: an integer literal, or a const of an integer literal type. */
export function isIntegerConstant(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isNumericLiteral(e)) return Number.isInteger(Number(e.text));
  const type = ctx.checker.getTypeAtLocation(e);
  return type.isNumberLiteral() && Number.isInteger(type.value);
}

/** True when the tree divides (a division makes fractions from integers). */
export function divides(ctx: RuleContext, e: ts.Expression): boolean {
  const x = skipOuter(ctx.ts, e);
  if (!isArithmetic(ctx, x)) return false;
  const op = x.operatorToken.getText();
  return op === '/' || op === '/=' || divides(ctx, x.left) || divides(ctx, x.right);
}

/**
 * A cheap syntactic pre-check before any type is asked for: some operand is named like an
 * amount, or is a local of this file whose writes mention one (two steps deep). Most
 * arithmetic in a file (string `+`, counters, offsets) fails it without touching the checker.
 */
export function mayHoldMoney(ctx: RuleContext, e: ts.Expression): boolean {
  const locals = moneyLocalsOf(ctx);
  return syntacticLeaves(ctx, e).some((leaf) => {
    const name = nameOf(ctx, leaf);
    if (!name) return false;
    return wordsOf(name.text).some((w) => MONEY_WORDS.has(w)) || (ctx.ts.isIdentifier(leaf) && locals.has(leaf.text));
  });
}

function syntacticLeaves(ctx: RuleContext, e: ts.Expression): ts.Expression[] {
  const x = skipOuter(ctx.ts, e);
  return isArithmetic(ctx, x) ? [...syntacticLeaves(ctx, x.left), ...syntacticLeaves(ctx, x.right)] : [x];
}

const moneyLocalsCache = new WeakMap<ts.SourceFile, Set<string>>();

/** Names of this file's variables written from money-named values, directly or through another such variable. */
function moneyLocalsOf(ctx: RuleContext): Set<string> {
  const cached = moneyLocalsCache.get(ctx.sourceFile);
  if (cached) return cached;
  const { ts } = ctx;
  const mentions = new Map<string, Set<string>>();
  const record = (target: string, value: ts.Node): void => {
    const names = mentions.get(target) ?? new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) names.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(value);
    mentions.set(target, names);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) record(n.name.text, n.initializer);
    else if (ts.isBinaryExpression(n) && ts.isIdentifier(n.left) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) record(n.left.text, n.right);
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  const isMoneyWord = (name: string) => wordsOf(name).some((w) => MONEY_WORDS.has(w));
  const found = new Set<string>();
  for (let depth = 0; depth < 3; depth++) {
    for (const [target, names] of mentions) {
      if (!found.has(target) && [...names].some((n) => isMoneyWord(n) || found.has(n))) found.add(target);
    }
  }
  moneyLocalsCache.set(ctx.sourceFile, found);
  return found;
}

