// Where an idempotency key can come from: the id of the order, cart or request the payment
// is for, already named in the function making the call. Names are the signal here (the
// issue asks for "the order id in scope"); the expression must also be reachable at the call.
// A random key per attempt would defeat the point (a retry must send the same key), so with
// no such id there is no fix.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';

const ID_NAMES = new Set(['orderId', 'cartId', 'checkoutId', 'paymentId', 'invoiceId', 'requestId', 'idempotencyKey']);
const OWNER_NAMES = new Set(['order', 'cart', 'checkout', 'invoice']);

/** Source text of an id expression usable at `call`, or undefined. */
export function idempotencyIdFor(ctx: RuleContext, call: ts.CallExpression): string | undefined {
  const { ts } = ctx;
  const fn = enclosingFunction(ts, call);
  // In a loop, or in a callback run per item, one order id would be reused for every item:
  // the second call would get the first one's result. Such keys need the item too.
  if (!fn || insideLoop(ts, call, fn)) return undefined;
  const inScope = new Set(ctx.checker.getSymbolsInScope(call, ts.SymbolFlags.Value));
  const rootInScope = (e: ts.Expression): boolean => {
    let root = e;
    while (ts.isPropertyAccessExpression(root)) root = root.expression;
    if (!ts.isIdentifier(root)) return false;
    const s = ts.isShorthandPropertyAssignment(root.parent) ? ctx.checker.getShorthandAssignmentValueSymbol(root.parent) : ctx.checker.getSymbolAtLocation(root);
    const decl = s?.declarations?.[0];
    return !!s && inScope.has(s) && !!decl && decl.pos >= fn.pos && decl.end <= fn.end;
  };
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.getStart() >= call.getEnd()) return;
    if (isIdExpression(ts, node) && rootInScope(node as ts.Expression)) {
      found = node.getText();
      return;
    }
    // `(order) => …` / `const order = await orders.find(id)`: the order's own id.
    if (ts.isIdentifier(node) && OWNER_NAMES.has(node.text) && isBindingName(ts, node) && rootInScope(node) && mayHaveId(ctx, node)) {
      found = `${node.text}.id`;
      return;
    }
    ts.forEachChild(node, visit);
  };
  // Parameters (`{ orderId }`) and statements before the call, in source order.
  ts.forEachChild(fn, visit);
  return found;
}

function isIdExpression(ts: RuleContext['ts'], node: ts.Node): boolean {
  if (ts.isIdentifier(node)) {
    const p = node.parent;
    // A use or a binding of the id; not a property name (`{ orderId: x }` key, `a.orderId` name).
    if ((ts.isPropertyAccessExpression(p) && p.name === node) || (ts.isPropertyAssignment(p) && p.name === node)) return false;
    return ID_NAMES.has(node.text);
  }
  if (ts.isPropertyAccessExpression(node)) {
    const name = node.name.text;
    if (ID_NAMES.has(name) && name !== 'idempotencyKey') return ts.isIdentifier(node.expression) || ts.isPropertyAccessExpression(node.expression);
    return name === 'id' && ts.isIdentifier(node.expression) && OWNER_NAMES.has(node.expression.text);
  }
  return false;
}

function isBindingName(ts: RuleContext['ts'], id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isParameter(p) || ts.isVariableDeclaration(p) || ts.isBindingElement(p)) && p.name === id;
}

/** Untyped (JavaScript, `any`) or typed with an `id` property. */
function mayHaveId(ctx: RuleContext, id: ts.Identifier): boolean {
  const type = ctx.checker.getTypeAtLocation(id);
  if (type.flags & ctx.ts.TypeFlags.Any) return true;
  return !!type.getProperty('id');
}

function insideLoop(ts: RuleContext['ts'], node: ts.Node, fn: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n && n !== fn; n = n.parent) if (ts.isIterationStatement(n, false)) return true;
  return false;
}

function enclosingFunction(ts: RuleContext['ts'], node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isFunctionLike(n) && 'body' in n) return n as ts.FunctionLikeDeclaration;
  return undefined;
}
