// What a value at a filter can be: a primitive by construction (`String(x)`, a template,
// arithmetic, a string method's result), a value whose static type a schema enforced,
// or request data that may arrive as an object (`{ "$ne": null }`), judged by where it
// entered (Express params are strings; a JSON body is anything; the query string nests
// only under the `qs` parser, Express 4's default).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { isLibFile, skipOuter } from '../../shared/callee';
import { variableWrites } from '../../shared/string-building';
import type { Flow, TaintSource } from '../../taint';

/** Methods only strings have: on an object from JSON they throw, so their result is a string. */
const STRING_ONLY_METHODS = new Set([
  'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'normalize', 'padStart', 'padEnd',
  'substring', 'substr', 'charAt', 'toString', 'replace', 'replaceAll', 'toFixed',
]);
const PRIMITIVE_GLOBALS = new Set(['String', 'Number', 'Boolean', 'parseInt', 'parseFloat', 'BigInt', 'encodeURIComponent']);

/** The declaration a variable reference (or a shorthand property's value) refers to. */
export function valueDeclarationOf(ctx: RuleContext, id: ts.Identifier): ts.Declaration | undefined {
  const { ts } = ctx;
  const symbol = ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id ? ctx.checker.getShorthandAssignmentValueSymbol(id.parent) : ctx.checker.getSymbolAtLocation(id);
  return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
}

function isGlobal(ctx: RuleContext, id: ts.Identifier): boolean {
  const decl = ctx.checker.getSymbolAtLocation(id)?.declarations?.[0];
  return !!decl && isLibFile(decl.getSourceFile().fileName);
}

/** True when the expression can only be a primitive, whatever data it was made from. */
export function isPrimitiveByConstruction(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  const { ts } = ctx;
  if (depth > 6) return false;
  const e = skipOuter(ts, expr);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isTemplateExpression(e) || ts.isTypeOfExpression(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isPrefixUnaryExpression(e)) return true;
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return isPrimitiveByConstruction(ctx, e.left, depth + 1) && isPrimitiveByConstruction(ctx, e.right, depth + 1);
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken) return isPrimitiveByConstruction(ctx, e.right, depth + 1);
    // Arithmetic, concatenation and comparisons always give a primitive.
    return true;
  }
  if (ts.isConditionalExpression(e)) return isPrimitiveByConstruction(ctx, e.whenTrue, depth + 1) && isPrimitiveByConstruction(ctx, e.whenFalse, depth + 1);
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(ts, e.expression);
    if (ts.isIdentifier(callee)) return PRIMITIVE_GLOBALS.has(callee.text) && isGlobal(ctx, callee);
    if (ts.isPropertyAccessExpression(callee)) return STRING_ONLY_METHODS.has(callee.name.text) && !isProjectMethod(ctx, callee);
    return false;
  }
  if (ts.isIdentifier(e)) {
    const decl = valueDeclarationOf(ctx, e);
    if (!decl || !ts.isVariableDeclaration(decl) || decl.getSourceFile().isDeclarationFile) return false;
    const writes = variableWrites(ctx, decl);
    return !!writes && writes.length > 0 && writes.every((w) => isPrimitiveByConstruction(ctx, w, depth + 1));
  }
  return false;
}

/** `toString` of a project class may return anything: only library and untyped receivers count. */
function isProjectMethod(ctx: RuleContext, callee: ts.PropertyAccessExpression): boolean {
  const decl = ctx.checker.getSymbolAtLocation(callee.name)?.declarations?.[0];
  return !!decl && !decl.getSourceFile().isDeclarationFile;
}

/** A primitive type, or an object type whose fields are all primitives: what a schema parse or a validated DTO gives. */
export function isConstrainedType(ctx: RuleContext, type: ts.Type, depth = 0): boolean {
  const { ts } = ctx;
  const F = ts.TypeFlags;
  if (type.flags & (F.Any | F.Unknown)) return false;
  if (type.isUnion()) return type.types.every((t) => isConstrainedType(ctx, t, depth));
  if (type.flags & (F.StringLike | F.NumberLike | F.BooleanLike | F.BigIntLike | F.EnumLike | F.Null | F.Undefined | F.Void)) return true;
  if (depth > 0 || !(type.flags & F.Object)) return false;
  if (ctx.checker.getIndexInfosOfType(type).length > 0) return false;
  const props = ctx.checker.getPropertiesOfType(type);
  return props.length > 0 && props.every((p) => {
    const decl = p.valueDeclaration ?? p.declarations?.[0];
    return !!decl && isConstrainedType(ctx, ctx.checker.getTypeOfSymbolAtLocation(p, decl), depth + 1);
  });
}

function isAny(ctx: RuleContext, type: ts.Type): boolean {
  return !!(type.flags & (ctx.ts.TypeFlags.Any | ctx.ts.TypeFlags.Unknown));
}

/**
 * True when data from `source`, arriving at a sink whose static type is `atSink`, may be an
 * object an attacker shaped. `wholeFilter`: the value is the filter itself (its keys matter too).
 */
export function mayBeObject(ctx: RuleContext, source: TaintSource, flow: Pick<Flow, 'transforms'>, atSink: ts.Type, constrained: boolean, wholeFilter: boolean): boolean {
  if (source.validated && constrained) return false;
  if (source.kind !== 'request') return flow.transforms.some((t) => t.kind === 'json-parse') || isAny(ctx, atSink);
  switch (source.part) {
    case 'params':
    case 'url':
    case 'files':
      return false;
    case 'headers':
      return wholeFilter;
    case 'query':
      // With a flat parser a field is a string or an array of strings; the keys of the whole object are still the client's.
      return wholeFilter || parsesNestedQueries(ctx);
    default:
      return true;
  }
}

/**
 * Express 4 (and Nest on it) parses `?email[$ne]=` into `{ email: { $ne: '' } }` with `qs`;
 * Express 5 parses flat by default. Decided by the version the nearest package.json asks for.
 */
function parsesNestedQueries(ctx: RuleContext): boolean {
  const deps = ctx.project.packageJson(ctx.fileName)?.allDependencies ?? {};
  if (deps.express) return majorOf(deps.express) < 5;
  if (deps['@nestjs/platform-express']) return majorOf(deps['@nestjs/platform-express']) < 11;
  return false;
}

function majorOf(range: string): number {
  const m = /(\d+)/.exec(range);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}
