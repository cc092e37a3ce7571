// unbounded-cache's model of a module-level container: which globals make one (`new Map()`,
// `new Set()`, `{}`, `[]`), and what each use of it does — grow it, bound it (delete, clear,
// size checks, shift/splice, reassignment), only read it, or hand it to project code whose
// effect is unknown (then the rule stays silent).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { isLibFile, resolveCall, skipOuter } from './callee';

export type ContainerKind = 'Map' | 'Set' | 'object' | 'array';

export interface Container {
  readonly kind: ContainerKind;
  readonly decl: ts.VariableDeclaration & { readonly name: ts.Identifier };
  readonly symbol: ts.Symbol;
}

export interface Growth {
  /** The call or assignment that adds an entry. */
  readonly node: ts.Expression;
  /** The key or value it adds (what request data would make unbounded). */
  readonly added: readonly ts.Expression[];
  readonly label: string;
}

export interface ContainerUses {
  readonly growths: readonly Growth[];
  /** Something deletes, clears, checks the size, replaces or hands the container to unknown code. */
  readonly bounded: boolean;
}

const BOUNDING_METHODS = new Set(['delete', 'clear', 'shift', 'splice', 'pop']);
const COMPARISONS = new Set<number>();

/** `new Map()`/`new Set()` of the standard library, `{}`, `Object.create(null)`, `[]` at a module's top level. */
export function moduleContainers(ctx: RuleContext): Container[] {
  const { ts } = ctx;
  const out: Container[] = [];
  for (const stmt of ctx.sourceFile.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    // An exported container can be trimmed from any other module.
    if (ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const decl of stmt.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || !decl.initializer) continue;
      const kind = containerKind(ctx, decl.initializer);
      const symbol = ctx.checker.getSymbolAtLocation(decl.name);
      if (kind && symbol) out.push({ kind, decl: decl as Container['decl'], symbol });
    }
  }
  return out;
}

function containerKind(ctx: RuleContext, init: ts.Expression): ContainerKind | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, init);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && (e.expression.text === 'Map' || e.expression.text === 'Set') && isStandardGlobal(ctx, e.expression)) return e.expression.text;
  if (ts.isObjectLiteralExpression(e) && e.properties.length === 0) return 'object';
  if (ts.isArrayLiteralExpression(e) && e.elements.length === 0) return 'array';
  if (ts.isCallExpression(e) && e.arguments.length === 1 && e.arguments[0].kind === ts.SyntaxKind.NullKeyword) {
    const c = skipOuter(ts, e.expression);
    if (ts.isPropertyAccessExpression(c) && c.name.text === 'create' && ts.isIdentifier(c.expression) && c.expression.text === 'Object' && isStandardGlobal(ctx, c.expression)) return 'object';
  }
  return undefined;
}

function isStandardGlobal(ctx: RuleContext, id: ts.Identifier): boolean {
  const decls = ctx.checker.getSymbolAtLocation(id)?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => isLibFile(d.getSourceFile().fileName));
}

/** Every use of the container in its file, classified. */
export function usesOf(ctx: RuleContext, c: Container): ContainerUses {
  const { ts } = ctx;
  if (COMPARISONS.size === 0) {
    for (const k of [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]) COMPARISONS.add(k);
  }
  const growths: Growth[] = [];
  let bounded = false;
  const name = c.decl.name.text;
  const visit = (n: ts.Node): void => {
    if (bounded) return;
    if (ts.isIdentifier(n) && n !== c.decl.name && n.text === name && ctx.checker.getSymbolAtLocation(n) === c.symbol) {
      const use = classify(ctx, c, n);
      if (use === 'bound') bounded = true;
      else if (use !== 'read') growths.push(use);
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return { growths, bounded };
}

function classify(ctx: RuleContext, c: Container, ref: ts.Identifier): Growth | 'bound' | 'read' {
  const { ts } = ctx;
  let e: ts.Expression = ref;
  while (ts.isParenthesizedExpression(e.parent) || ts.isNonNullExpression(e.parent) || ts.isAsExpression(e.parent)) e = e.parent;
  const p = e.parent;
  // Replaced wholesale (`cache = new Map()`), or `list.length = 0`.
  if (ts.isBinaryExpression(p) && p.left === e && isAssignment(ts, p.operatorToken.kind)) return 'bound';
  if (ts.isPropertyAccessExpression(p) && p.expression === e) {
    const member = p.name.text;
    const call = ts.isCallExpression(p.parent) && p.parent.expression === p ? p.parent : undefined;
    if (call) {
      if (BOUNDING_METHODS.has(member)) return 'bound';
      if ((c.kind === 'Map' && member === 'set') || (c.kind === 'Set' && member === 'add') || (c.kind === 'array' && (member === 'push' || member === 'unshift'))) {
        return { node: call, added: [...call.arguments], label: `${ref.text}.${member}` };
      }
      return 'read';
    }
    if (member === 'size' || member === 'length') return isCompared(ctx, p) || isWritten(ts, p) ? 'bound' : 'read';
    return 'read';
  }
  if (ts.isElementAccessExpression(p) && p.expression === e) {
    if (ts.isDeleteExpression(p.parent)) return 'bound';
    const w = p.parent;
    if (ts.isBinaryExpression(w) && w.left === p && isAssignment(ts, w.operatorToken.kind)) {
      // `counts[key] = …` adds a key; `list[0] = …` with a fixed index does not grow anything.
      const key = skipOuter(ts, p.argumentExpression);
      if (c.kind === 'object' && !ts.isStringLiteralLike(key) && !ts.isNumericLiteral(key)) return { node: w, added: [p.argumentExpression], label: `${ref.text}[…] =` };
      return c.kind === 'array' ? 'bound' : 'read';
    }
    return 'read';
  }
  if (ts.isDeleteExpression(p)) return 'bound';
  // `Object.keys(cache).length > MAX` bounds it; a library or global reading it (`res.json(list)`) does not.
  if (ts.isCallExpression(p) && p.arguments.includes(e)) {
    if (isObjectKeysCompared(ctx, p)) return 'bound';
    const target = resolveCall(ctx, p);
    return target && (target.module || target.isGlobal) ? 'read' : 'bound';
  }
  if (ts.isSpreadElement(p) || ts.isForOfStatement(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InKeyword) || ts.isTypeOfExpression(p)) return 'read';
  // Returned, aliased, handed to project code: what happens to it is not known here.
  return 'bound';
}

function isAssignment(ts: RuleContext['ts'], kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function isWritten(ts: RuleContext['ts'], access: ts.Expression): boolean {
  const p = access.parent;
  return ts.isBinaryExpression(p) && p.left === access && isAssignment(ts, p.operatorToken.kind);
}

function isCompared(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  let x: ts.Node = e;
  while (ts.isParenthesizedExpression(x.parent)) x = x.parent;
  const p = x.parent;
  return ts.isBinaryExpression(p) && COMPARISONS.has(p.operatorToken.kind);
}

/** `Object.keys(x).length` / `Object.entries(x).length` in a comparison. */
function isObjectKeysCompared(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Object') return false;
  if (!['keys', 'values', 'entries', 'getOwnPropertyNames'].includes(callee.name.text)) return false;
  const p = call.parent;
  return ts.isPropertyAccessExpression(p) && p.name.text === 'length' && isCompared(ctx, p);
}
