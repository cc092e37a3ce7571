// What an expression certainly is, as far as the code states it: a string or number
// known from a literal or the checker's literal type, and the initializer of a `const`
// that nothing changes after it is made. Rules read option values through these so
// that `const opts = {...}; f(opts)` is judged like the inline object.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';

/** The string the expression always evaluates to (a literal, or a string literal type). */
export function constantString(ctx: RuleContext, expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isStringLiteralLike(e)) return e.text;
  const type = ctx.checker.getTypeAtLocation(e);
  return type.isStringLiteral() ? type.value : undefined;
}

/** The number the expression always evaluates to (a literal, or a number literal type). */
export function constantNumber(ctx: RuleContext, expr: ts.Expression | undefined): number | undefined {
  if (!expr) return undefined;
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  const type = ctx.checker.getTypeAtLocation(e);
  return type.isNumberLiteral() ? type.value : undefined;
}

/** The initializer of the `const` an identifier refers to (through imports): which value it names. */
export function constInitializer(ctx: RuleContext, id: ts.Identifier): ts.Expression | undefined {
  return constDeclaration(ctx, id)?.decl.initializer;
}

/**
 * The initializer of a `const` whose object nothing changes after it is made: what the
 * object holds (`opts.cookie.secure = true` later makes the literal's contents unknown).
 */
export function unchangedConstInitializer(ctx: RuleContext, id: ts.Identifier): ts.Expression | undefined {
  const found = constDeclaration(ctx, id);
  if (!found || isMutated(ctx, found.symbol, found.decl.getSourceFile())) return undefined;
  return found.decl.initializer;
}

function constDeclaration(ctx: RuleContext, id: ts.Identifier): { symbol: ts.Symbol; decl: ts.VariableDeclaration & { initializer: ts.Expression } } | undefined {
  const { ts } = ctx;
  let symbol = ctx.checker.getSymbolAtLocation(id);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!symbol || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
  if (!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  return { symbol, decl: decl as ts.VariableDeclaration & { initializer: ts.Expression } };
}

/** `x.a = …`, `x.a.b = …`, `delete x.a`, `Object.assign(x, …)` anywhere in the declaring file. */
function isMutated(ctx: RuleContext, symbol: ts.Symbol, file: ts.SourceFile): boolean {
  const { ts } = ctx;
  let mutated = false;
  const visit = (node: ts.Node): void => {
    if (mutated) return;
    if (ts.isIdentifier(node) && node.text === symbol.name && ctx.checker.getSymbolAtLocation(node) === symbol && writesThrough(ts, node)) {
      mutated = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return mutated;
}

function writesThrough(ts: RuleContext['ts'], id: ts.Identifier): boolean {
  let outer: ts.Node = id;
  // Through `x.cookie!.secure`, `(x as T).cookie`: the same object is written.
  for (;;) {
    const p = outer.parent;
    const through = ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === outer) || ts.isNonNullExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p);
    if (!through) break;
    outer = p;
  }
  const parent = outer.parent;
  if (outer !== id) {
    if (ts.isBinaryExpression(parent) && parent.left === outer && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
    if (ts.isDeleteExpression(parent)) return true;
  }
  // Object.assign(x, …) / Object.assign(x.cookie, …)
  if (ts.isCallExpression(parent) && parent.arguments[0] === outer) {
    const callee = parent.expression;
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'assign' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object';
  }
  return false;
}

