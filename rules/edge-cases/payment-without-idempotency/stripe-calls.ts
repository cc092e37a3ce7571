// Stripe calls that move money, recognised by the client they are made on: a value
// created by `new Stripe(key)` / `Stripe(key)` / `require('stripe')(key)` from the
// 'stripe' package, also when the client is a `const` exported by another module.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, skipOuter } from '../../shared/callee';

/** Resource path → what the message calls the money movement. Checkout Sessions are left out: creating one moves no money. */
const MONEY_MOVEMENTS: Record<string, string> = {
  'charges.create': 'charge',
  'paymentIntents.create': 'payment',
  'refunds.create': 'refund',
  'transfers.create': 'transfer',
  'payouts.create': 'payout',
  'subscriptions.create': 'subscription',
};

export interface StripeMoneyCall {
  /** 'refunds.create' */
  readonly method: string;
  /** 'refund' */
  readonly movement: string;
}

const MAX_HOPS = 4;

export function stripeMoneyCall(ctx: RuleContext, call: ts.CallExpression): StripeMoneyCall | undefined {
  const { ts } = ctx;
  const members: string[] = [];
  let e = skipOuter(ts, call.expression);
  while (ts.isPropertyAccessExpression(e)) {
    members.unshift(e.name.text);
    e = skipOuter(ts, e.expression);
  }
  if (members.length < 2) return undefined;
  const method = members.slice(-2).join('.');
  const movement = MONEY_MOVEMENTS[method];
  if (!movement || members.length !== 2 || !isStripeClient(ctx, e, 0)) return undefined;
  return { method, movement };
}

/** True when the expression is an instance made from the 'stripe' package. */
function isStripeClient(ctx: RuleContext, expr: ts.Expression, hops: number): boolean {
  const { ts } = ctx;
  const origin = originOf(ctx, expr);
  if (origin) {
    if (origin.module === 'stripe') return origin.instance && origin.members.length === 0 && [...origin.exportPath].filter((p) => p !== 'default').length === 0;
    if (!origin.module.startsWith('.')) return false;
  }
  // A client imported from a project module: follow the import to the exported `const`.
  if (hops >= MAX_HOPS || !ts.isIdentifier(expr)) return false;
  let symbol = ctx.checker.getSymbolAtLocation(expr);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return false;
  const init = skipOuter(ts, decl.initializer);
  const inner = originOf(ctx, init);
  if (inner) return inner.module === 'stripe' && inner.instance && inner.members.length === 0;
  return ts.isIdentifier(init) && isStripeClient(ctx, init, hops + 1);
}
