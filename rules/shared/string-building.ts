// Strings built at run time: is an expression a constant, which parts of a template or
// concatenation are dynamic, and where did a dynamic part come from within the function
// (a `const`/`let` binding, a parameter, request data)? Used by the injection rules to
// tell `SELECT … ${req.query.id}` from `SELECT … ${LIMIT}`; the type checker decides what
// cannot inject (numbers, booleans, string-literal unions), never the name of a variable.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { findAncestor, isLibFile, skipOuter } from './callee';
import { returnedExpressions, type ProjectFunction } from '../taint/functions';
import { requestSourceOf, taintedBy, type RequestSource } from './request-source';
import { shortText } from './source-text';

/** A value inside a built string that may carry anything (a string from outside, `any`). */
export interface DynamicPart {
  readonly expr: ts.Expression;
  readonly label: string;
  readonly request?: RequestSource;
}

export type BuildForm = 'template' | 'concatenation' | 'concat' | 'join';

export interface BuiltString {
  readonly form: BuildForm;
  /** The expression that builds the string (the argument itself, or the initializer it was read from). */
  readonly node: ts.Expression;
  readonly parts: readonly DynamicPart[];
  /** Set when the argument is a variable holding the string. */
  readonly variable?: ts.VariableDeclaration;
  /** True when the variable is written more than once (`sql += …`): the pieces live in several places. */
  readonly accumulated: boolean;
}

export interface StringAnalysisOptions {
  /** Calls whose result is escaped for the target language (`client.escapeLiteral(x)`). */
  readonly isSanitizer?: (call: ts.CallExpression) => boolean;
  /** Members whose value the code or a library defines, not data (`qb.alias`, `metadata.tableName`). */
  readonly isTrustedMember?: (member: ts.Symbol) => boolean;
}

const MAX_DEPTH = 12;
/** String methods whose result carries whatever the receiver carried. */
const TRANSPARENT_METHODS = new Set(['trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'toString', 'valueOf', 'normalize', 'padStart', 'padEnd', 'slice', 'substring', 'replace', 'replaceAll']);

class Analysis {
  private readonly seen = new Set<ts.Node>();
  constructor(
    private readonly ctx: RuleContext,
    private readonly options: StringAnalysisOptions,
  ) {}

  /** The dynamic leaves of a string-valued expression. */
  parts(expr: ts.Expression, depth = 0): DynamicPart[] {
    const { ts } = this.ctx;
    const e = skipOuter(ts, expr);
    if (depth > MAX_DEPTH || this.seen.has(e)) return [this.leaf(e)];
    this.seen.add(e);
    try {
      return this.partsOf(e, depth + 1);
    } finally {
      this.seen.delete(e);
    }
  }

  private partsOf(e: ts.Expression, depth: number): DynamicPart[] {
    const { ts } = this.ctx;
    if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e)) return [];
    if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return [];
    if (ts.isIdentifier(e)) return this.identifierParts(e, depth);
    // Request data is attacker-chosen whatever its declared type says (types are not validation).
    if (requestSourceOf(this.ctx, e)) return [this.leaf(e)];
    if (isProcessEnv(this.ctx, e)) return [];
    if (ts.isTemplateExpression(e)) return e.templateSpans.flatMap((s) => this.parts(s.expression, depth));
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
        if (op === ts.SyntaxKind.PlusToken && isSafeType(this.ctx, this.ctx.checker.getTypeAtLocation(e))) return [];
        return [...this.parts(e.left, depth), ...this.parts(e.right, depth)];
      }
      if (op === ts.SyntaxKind.CommaToken) return this.parts(e.right, depth);
    }
    if (ts.isConditionalExpression(e)) return [...this.parts(e.whenTrue, depth), ...this.parts(e.whenFalse, depth)];
    if (ts.isCallExpression(e)) {
      const call = this.callParts(e, depth);
      if (call) return call;
    }
    if (isSafeType(this.ctx, this.ctx.checker.getTypeAtLocation(e))) return [];
    if ((ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && isConstantMember(this.ctx, e)) return [];
    if (ts.isPropertyAccessExpression(e) && this.trustedMember(this.ctx.checker.getSymbolAtLocation(e.name))) return [];
    return [this.leaf(e)];
  }

  private identifierParts(id: ts.Identifier, depth: number): DynamicPart[] {
    const { ts, checker } = this.ctx;
    if (id.text === 'undefined') return [];
    const symbol = checker.getSymbolAtLocation(id);
    const decl = symbol?.valueDeclaration;
    const typeHere = checker.getTypeAtLocation(id);
    // Narrowed at this point (`if (dir !== 'asc' && dir !== 'desc') throw …`): a run-time check happened.
    if (symbol && isSafeType(this.ctx, typeHere) && typeHere !== checker.getTypeOfSymbol(symbol)) return [];
    if (requestSourceOf(this.ctx, id)) return [this.leaf(id)];
    if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
      const writes = variableWrites(this.ctx, decl);
      if (writes) return writes.flatMap((w) => this.parts(w, depth));
    }
    if (decl && ts.isBindingElement(decl) && this.trustedMember(destructuredMember(this.ctx, decl))) return [];
    return isSafeType(this.ctx, typeHere) ? [] : [this.leaf(id)];
  }

  private callParts(call: ts.CallExpression, depth: number): DynamicPart[] | undefined {
    const { ts } = this.ctx;
    if (this.options.isSanitizer?.(call) || this.trustedMember(calleeMemberSymbol(this.ctx, call))) return [];
    const callee = skipOuter(ts, call.expression);
    if (ts.isIdentifier(callee) && callee.text === 'String' && call.arguments.length === 1) return this.parts(call.arguments[0], depth);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    const receiver = callee.expression;
    // `since.toISOString()`, `price.toFixed(2)`: a fixed format of a value that cannot carry text.
    if (isSafeType(this.ctx, this.ctx.checker.getTypeAtLocation(receiver)) && isLibMember(this.ctx, callee.name)) return [];
    if (!isStringy(this.ctx, receiver) && method !== 'join') return undefined;
    if (method === 'join') return [...this.arrayParts(receiver, depth), ...call.arguments.flatMap((a) => this.parts(a, depth))];
    if (method === 'concat') return [...this.parts(receiver, depth), ...call.arguments.flatMap((a) => this.parts(a, depth))];
    if (TRANSPARENT_METHODS.has(method)) {
      const extra = method === 'replace' || method === 'replaceAll' || method === 'padStart' || method === 'padEnd' ? call.arguments.slice(1) : [];
      return [...this.parts(receiver, depth), ...extra.flatMap((a) => this.parts(a, depth))];
    }
    return undefined;
  }

  /** The dynamic leaves of what an array holds, for `arr.join(sep)`. */
  arrayParts(expr: ts.Expression, depth: number): DynamicPart[] {
    const { ts, checker } = this.ctx;
    const e = skipOuter(ts, expr);
    const elementType = checker.getIndexTypeOfType(checker.getTypeAtLocation(e), ts.IndexKind.Number);
    if (elementType && isSafeType(this.ctx, elementType) && !requestSourceOf(this.ctx, e)) return [];
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => (ts.isSpreadElement(el) ? this.arrayParts(el.expression, depth) : this.parts(el, depth)));
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const method = e.expression.name.text;
      const receiver = e.expression.expression;
      const fn = e.arguments[0] && skipOuter(ts, e.arguments[0]);
      if (method === 'map' && fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return returnedExpressions(this.ctx, fn as ProjectFunction).flatMap((r) => this.parts(r, depth));
      if (method === 'fill' && e.arguments[0]) return this.parts(e.arguments[0], depth);
      if (method === 'filter' || method === 'slice' || method === 'reverse' || method === 'sort') return this.arrayParts(receiver, depth);
      if (method === 'concat') return [...this.arrayParts(receiver, depth), ...e.arguments.flatMap((a) => this.arrayParts(a, depth))];
    }
    if (ts.isIdentifier(e)) {
      const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
        const contents = localArrayContents(this.ctx, decl);
        if (contents) return contents.flatMap((c) => (c.spread ? this.arrayParts(c.expr, depth) : this.parts(c.expr, depth)));
      }
    }
    return [this.leaf(e)];
  }

  private trustedMember(symbol: ts.Symbol | undefined): boolean {
    return !!symbol && !!this.options.isTrustedMember?.(symbol);
  }

  leaf(e: ts.Expression): DynamicPart {
    const request = requestSourceOf(this.ctx, e) ?? taintedBy(this.ctx, e);
    return { expr: e, label: request?.label ?? shortText(this.ctx, e), request };
  }
}

/** The dynamic leaves of a string-valued expression (empty when it cannot carry injected text). */
export function dynamicParts(ctx: RuleContext, expr: ts.Expression, options: StringAnalysisOptions = {}): DynamicPart[] {
  return dedupe(new Analysis(ctx, options).parts(expr));
}

/** True when the expression's value is fixed by the code (literals, constants, number-typed values). */
export function isConstantString(ctx: RuleContext, expr: ts.Expression, options: StringAnalysisOptions = {}): boolean {
  return dynamicParts(ctx, expr, options).length === 0;
}

/**
 * The string an argument carries when it is built here (a template with substitutions,
 * `+`, `.concat`, `.join`), directly or through a local variable; undefined when it is
 * passed through (a parameter, a call result) or constant text.
 */
export function builtString(ctx: RuleContext, expr: ts.Expression, options: StringAnalysisOptions = {}): BuiltString | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  const form = buildForm(ctx, e);
  if (form) return { form, node: e, parts: dynamicParts(ctx, e, options), accumulated: false };
  if (!ts.isIdentifier(e)) return undefined;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
  const writes = variableWrites(ctx, decl);
  if (!writes) return undefined;
  const building = writes.map((w) => skipOuter(ts, w)).find((w) => buildForm(ctx, w));
  if (!building) return undefined;
  const parts = dedupe(writes.flatMap((w) => dynamicParts(ctx, w, options)));
  return { form: buildForm(ctx, building)!, node: building, parts, variable: decl, accumulated: writes.length > 1 };
}

function buildForm(ctx: RuleContext, e: ts.Expression): BuildForm | undefined {
  const { ts } = ctx;
  if (ts.isTemplateExpression(e)) return 'template';
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken && isStringy(ctx, e)) return 'concatenation';
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const method = e.expression.name.text;
    if (method === 'concat' && isStringy(ctx, e.expression.expression)) return 'concat';
    if (method === 'join' && isStringy(ctx, e)) return 'join';
  }
  return undefined;
}

/** Numbers, bigints, booleans, null/undefined and string-literal unions cannot carry SQL or markup. */
export function isSafeType(ctx: RuleContext, type: ts.Type): boolean {
  const { ts } = ctx;
  if (type.isUnion()) return type.types.every((t) => isSafeType(ctx, t));
  if (type.isIntersection()) return type.types.some((t) => isSafeType(ctx, t));
  const F = ts.TypeFlags;
  if (type.flags & (F.NumberLike | F.BigIntLike | F.BooleanLike | F.StringLiteral | F.EnumLiteral | F.Null | F.Undefined | F.Void | F.Never)) return true;
  if (type.flags & F.TypeParameter) {
    const constraint = ctx.checker.getBaseConstraintOfType(type);
    return !!constraint && constraint !== type && isSafeType(ctx, constraint);
  }
  const symbol = type.getSymbol();
  return symbol?.name === 'Date' && (symbol.declarations ?? []).some((d) => isLibFile(d.getSourceFile().fileName));
}

function calleeMemberSymbol(ctx: RuleContext, call: ts.CallExpression): ts.Symbol | undefined {
  const callee = skipOuter(ctx.ts, call.expression);
  return ctx.ts.isPropertyAccessExpression(callee) ? ctx.checker.getSymbolAtLocation(callee.name) : undefined;
}

/** The property a `const { key } = obj` binding reads. */
function destructuredMember(ctx: RuleContext, element: ts.BindingElement): ts.Symbol | undefined {
  const { ts } = ctx;
  const decl = element.parent.parent;
  const key = element.propertyName ?? element.name;
  if (!ts.isObjectBindingPattern(element.parent) || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(key)) return undefined;
  return ctx.checker.getTypeAtLocation(decl.initializer).getProperty(key.text);
}

function isLibMember(ctx: RuleContext, name: ts.MemberName): boolean {
  const decl = ctx.checker.getSymbolAtLocation(name)?.declarations?.[0];
  return !!decl && isLibFile(decl.getSourceFile().fileName);
}

/** True when the expression is a string (or a union with one): `+` on it concatenates. */
export function isStringy(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isStringLiteralLike(e) || ts.isTemplateExpression(e)) return true;
  const type = ctx.checker.getTypeAtLocation(e);
  const all = type.isUnion() ? type.types : [type];
  return all.some((t) => !!(t.flags & ts.TypeFlags.StringLike));
}

/** `process.env.X`: operator configuration, not attacker input. */
export function isProcessEnv(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  let x = e;
  while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
    const inner = skipOuter(ts, x.expression);
    if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'env' && ts.isIdentifier(inner.expression) && inner.expression.text === 'process') return true;
    x = inner;
  }
  return false;
}

/** `this.table` where `private readonly table = 'users'`: a constant the code fixed. */
function isConstantMember(ctx: RuleContext, e: ts.PropertyAccessExpression | ts.ElementAccessExpression): boolean {
  const { ts } = ctx;
  if (!ts.isPropertyAccessExpression(e)) return false;
  const decl = ctx.checker.getSymbolAtLocation(e.name)?.valueDeclaration;
  if (!decl || !ts.isPropertyDeclaration(decl) || !decl.initializer) return false;
  const readonly = (ts.getModifiers(decl) ?? []).some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
  return readonly && ts.isStringLiteralLike(skipOuter(ts, decl.initializer));
}

/**
 * Every value a local variable is given (initializer and assignments, `+=` included),
 * or undefined when it is not a plain local with an initializer.
 */
export function variableWrites(ctx: RuleContext, decl: ts.VariableDeclaration): ts.Expression[] | undefined {
  const { ts } = ctx;
  if (!decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
  if (ts.isForInStatement(decl.parent.parent) || ts.isForOfStatement(decl.parent.parent)) return undefined;
  const writes: ts.Expression[] = [decl.initializer];
  if (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) return writes;
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  const scope = scopeOf(ctx, decl);
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && ts.isIdentifier(n.left) && n.left.text === decl.name.getText() && isAssignment(ts, n.operatorToken.kind) && ctx.checker.getSymbolAtLocation(n.left) === symbol) writes.push(n.right);
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return writes;
}

function isAssignment(ts: RuleContext['ts'], kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.PlusEqualsToken || kind === ts.SyntaxKind.QuestionQuestionEqualsToken || kind === ts.SyntaxKind.BarBarEqualsToken;
}

function scopeOf(ctx: RuleContext, node: ts.Node): ts.Node {
  const { ts } = ctx;
  return findAncestor(ts, node, (n): n is ts.Node => ts.isFunctionLike(n) || ts.isSourceFile(n)) ?? node.getSourceFile();
}

/**
 * What a local array is filled with (initializer elements, `push`/`unshift` arguments), or
 * undefined when it escapes to code we cannot see (passed to a call, assigned elsewhere).
 */
function localArrayContents(ctx: RuleContext, decl: ts.VariableDeclaration): { expr: ts.Expression; spread: boolean }[] | undefined {
  const { ts, checker } = ctx;
  const init = decl.initializer && skipOuter(ts, decl.initializer);
  if (!init || !ts.isArrayLiteralExpression(init) || !ts.isIdentifier(decl.name)) return undefined;
  const out = init.elements.map((el) => (ts.isSpreadElement(el) ? { expr: el.expression, spread: true } : { expr: el, spread: false }));
  const symbol = checker.getSymbolAtLocation(decl.name);
  let escapes = false;
  const visit = (n: ts.Node): void => {
    if (escapes) return;
    if (ts.isIdentifier(n) && n !== decl.name && n.text === decl.name.getText() && checker.getSymbolAtLocation(n) === symbol) {
      const parent = n.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === n) {
        const call = parent.parent;
        const method = parent.name.text;
        if ((method === 'push' || method === 'unshift') && ts.isCallExpression(call) && call.expression === parent) {
          for (const a of call.arguments) out.push(ts.isSpreadElement(a) ? { expr: a.expression, spread: true } : { expr: a, spread: false });
        } else if (method === 'splice' || method === 'fill' || method === 'copyWithin') escapes = true;
      } else if (ts.isElementAccessExpression(parent) && parent.expression === n) {
        if (ts.isBinaryExpression(parent.parent) && parent.parent.left === parent) escapes = true;
      } else if (!(ts.isSpreadElement(parent) && ts.isArrayLiteralExpression(parent.parent))) escapes = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(scopeOf(ctx, decl));
  return escapes ? undefined : out;
}

function dedupe(parts: DynamicPart[]): DynamicPart[] {
  const seen = new Set<ts.Node>();
  return parts.filter((p) => (seen.has(p.expr) ? false : (seen.add(p.expr), true)));
}
