// Which validation library a project uses, and how to recognise code that validates:
// a call that parses/checks a value with zod, joi, yup, valibot, ajv, class-validator
// (and a few others), a schema value, a class-validator DTO class, and a Nest
// ValidationPipe that makes such DTOs checked. Recognised by the package a callee's
// declaration (or, in plain JS, its import) belongs to, never by names alone.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, packageOfFile, resolveCall, skipOuter } from './callee';

/** Libraries a quick fix can write schemas for, in order of preference. */
export type SchemaLibrary = 'zod' | 'joi' | 'yup' | 'valibot';
export const SCHEMA_LIBRARIES: readonly SchemaLibrary[] = ['zod', 'joi', 'yup', 'valibot'];

/**
 * How a validating call tells the caller about invalid input: it throws (sync or by
 * rejecting), it returns a result to inspect, or it is a boolean type guard.
 */
export type ValidationStyle = 'throws' | 'result' | 'guard';

export interface ValidatingCall {
  readonly library: string;
  readonly style: ValidationStyle;
  readonly async: boolean;
  /** The value being validated. */
  readonly subject: ts.Expression | undefined;
}

interface MethodSpec {
  readonly style: ValidationStyle;
  readonly async?: boolean;
  /** Index of the validated value among the arguments (default 0). */
  readonly subject?: number;
}

const T: MethodSpec = { style: 'throws' };
const TA: MethodSpec = { style: 'throws', async: true };
const R: MethodSpec = { style: 'result' };
const RA: MethodSpec = { style: 'result', async: true };
const G: MethodSpec = { style: 'guard' };
const at = (spec: MethodSpec, subject: number): MethodSpec => ({ ...spec, subject });

/** Package → function or method → how it validates. */
const VALIDATING_METHODS: Readonly<Record<string, Readonly<Record<string, MethodSpec>>>> = {
  zod: { parse: T, parseAsync: TA, safeParse: R, safeParseAsync: RA, spa: RA, decode: T, decodeAsync: TA, safeDecode: R, safeDecodeAsync: RA },
  valibot: { parse: at(T, 1), parseAsync: at(TA, 1), safeParse: at(R, 1), safeParseAsync: at(RA, 1), is: at(G, 1), assert: at(T, 1) },
  joi: { validate: R, validateAsync: TA, attempt: T, assert: T },
  '@hapi/joi': { validate: R, validateAsync: TA, attempt: T, assert: T },
  yup: { validate: TA, validateSync: T, cast: T, isValid: RA, isValidSync: G },
  ajv: { validate: at(R, 1) },
  'class-validator': { validate: RA, validateOrReject: TA, validateSync: R },
  superstruct: { assert: T, create: T, mask: T, validate: R, is: G },
  '@sinclair/typebox': { Check: at(G, 1), Parse: at(T, 1), Decode: at(T, 1) },
  runtypes: { check: T, parse: T, validate: R, guard: G },
  'io-ts': { decode: R, is: G },
  // The subject is the request: the chains on its route are what is checked.
  'express-validator': { validationResult: R, matchedData: R },
};

/** Packages whose callable values validate their argument (ajv's compiled `ValidateFunction`). */
const VALIDATING_FUNCTION_TYPES: Readonly<Record<string, MethodSpec>> = { ajv: R };

/** Packages that make schema values (a value from one of them passed to a middleware is a schema). */
const SCHEMA_PACKAGES = new Set(['zod', 'joi', '@hapi/joi', 'yup', 'valibot', 'ajv', 'superstruct', '@sinclair/typebox', 'runtypes', 'io-ts', 'arktype', 'celebrate', 'express-validator']);

/** Request-validation middleware packages: anything they export, used on a route, validates it. */
export const VALIDATION_MIDDLEWARE_PACKAGES = new Set([
  'celebrate',
  'express-joi-validation',
  'express-json-validator-middleware',
  'zod-express-middleware',
  'express-zod-safe',
  'zod-express',
  'express-validation',
  'express-yup-middleware',
  'express-openapi-validator',
]);

/** Packages that validate every request of the app once installed (the rule then stays silent). */
export const GLOBAL_REQUEST_VALIDATORS = ['express-openapi-validator', 'openapi-backend', 'express-openapi'];

const VALIDATING_NAMES = new Set(Object.values(VALIDATING_METHODS).flatMap((m) => Object.keys(m)));

/** The validating call `call` is, or undefined. */
export function validatingCall(ctx: RuleContext, call: ts.CallExpression): ValidatingCall | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  // Cheap syntactic filter first: asking the checker about every call is what costs.
  if (ts.isPropertyAccessExpression(callee) && !VALIDATING_NAMES.has(callee.name.text)) return undefined;
  if (!ts.isPropertyAccessExpression(callee) && !ts.isIdentifier(callee)) return undefined;
  // `User.create(…)` on a mongoose model: its import says it is no validator, and asking
  // the checker about such a call can cost seconds on a cold program.
  const origin = originOf(ctx, ts.isPropertyAccessExpression(callee) ? callee.expression : callee);
  if (origin && !origin.module.startsWith('.') && !VALIDATING_METHODS[origin.module] && !VALIDATING_FUNCTION_TYPES[origin.module]) return undefined;
  const target = resolveCall(ctx, call);
  if (target?.module === 'ajv' && ts.isIdentifier(callee)) {
    // A compiled validator: `const validate = ajv.compile(schema); validate(data)`.
    return { library: 'ajv', style: 'result', async: false, subject: call.arguments[0] };
  }
  if (target?.module) {
    const spec = VALIDATING_METHODS[target.module]?.[target.name];
    if (!spec) return undefined;
    let index = spec.subject ?? 0;
    // zod 4's functional form `z.parse(schema, value)`.
    if (target.module === 'zod' && call.arguments.length >= 2 && isSchemaValue(ctx, call.arguments[0])) index = 1;
    return { library: target.module, style: spec.style, async: !!spec.async, subject: call.arguments[index] };
  }
  // A compiled validator held in a project variable: `const validate = ajv.compile(schema); validate(data)`.
  if (!ts.isIdentifier(callee) || target?.isGlobal) return undefined;
  const fnPackage = packageOfValueType(ctx, callee);
  const fnSpec = fnPackage ? VALIDATING_FUNCTION_TYPES[fnPackage] : undefined;
  return fnSpec ? { library: fnPackage!, style: fnSpec.style, async: !!fnSpec.async, subject: call.arguments[0] } : undefined;
}

/**
 * True when evaluating the call really rejects invalid input: a throwing validator
 * always does (an async one once awaited or chained); one that returns a result or a
 * boolean only when that result is looked at.
 */
export function validatesWhenEvaluated(ctx: RuleContext, call: ts.CallExpression, v: ValidatingCall): boolean {
  const { ts } = ctx;
  let n: ts.Node = call;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  const awaited = ts.isAwaitExpression(n.parent);
  if (awaited) n = n.parent;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const discarded = ts.isExpressionStatement(n.parent) || ts.isVoidExpression(n.parent);
  if (v.style === 'throws') return !v.async || awaited || !discarded;
  return !discarded;
}

/** The package the declared type of a value comes from (`ValidateFunction` → 'ajv'), or undefined. */
export function packageOfValueType(ctx: RuleContext, expr: ts.Expression): string | undefined {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(skipOuter(ts, expr));
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  for (const symbol of [type.aliasSymbol, type.getSymbol()]) {
    for (const decl of symbol?.declarations ?? []) {
      const pkg = packageOfFile(decl.getSourceFile().fileName);
      if (pkg) return pkg;
    }
  }
  return undefined;
}

/** True when the value is a schema made by a validation library, or a class-validator DTO class. */
export function isSchemaValue(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const pkg = packageOfValueType(ctx, expr);
  if (pkg && SCHEMA_PACKAGES.has(pkg)) return true;
  const e = skipOuter(ts, expr);
  if (ts.isCallExpression(e)) {
    const target = resolveCall(ctx, e);
    if (target?.module && SCHEMA_PACKAGES.has(target.module)) return true;
  }
  const cls = classDeclarationOf(ctx, e);
  return !!cls && isValidatedDtoClass(ctx, cls) === true;
}

/** The class a value expression names (`CreateUserDto` → its declaration). */
function classDeclarationOf(ctx: RuleContext, expr: ts.Expression): ts.ClassLikeDeclaration | undefined {
  const { ts } = ctx;
  if (!ts.isIdentifier(expr)) return undefined;
  let symbol = ctx.checker.getSymbolAtLocation(expr);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  return decl && ts.isClassLike(decl) ? decl : undefined;
}

/**
 * Whether a class carries class-validator rules: true (a member is decorated by
 * class-validator, here or in a base class), false (no rule anywhere), undefined
 * (built by a mapped-type helper or from a base we cannot see: unsure).
 */
export function isValidatedDtoClass(ctx: RuleContext, cls: ts.ClassLikeDeclaration, depth = 0): boolean | undefined {
  const { ts } = ctx;
  if (depth > 4) return undefined;
  for (const member of cls.members) {
    for (const d of (ts.canHaveDecorators(member) && ts.getDecorators(member)) || []) {
      const call = d.expression;
      if (ts.isCallExpression(call) && resolveCall(ctx, call)?.module === 'class-validator') return true;
    }
  }
  const heritage = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!heritage) return false;
  const base = skipOuter(ts, heritage.expression);
  // PartialType(CreateUserDto), PickType(...) from @nestjs/mapped-types or @nestjs/swagger.
  if (ts.isCallExpression(base)) {
    const inner = base.arguments[0] && classDeclarationOf(ctx, skipOuter(ts, base.arguments[0]));
    return inner ? isValidatedDtoClass(ctx, inner, depth + 1) : undefined;
  }
  const baseClass = classDeclarationOf(ctx, base);
  if (!baseClass) return undefined;
  if (baseClass.getSourceFile().isDeclarationFile) return undefined;
  return isValidatedDtoClass(ctx, baseClass, depth + 1);
}

// ---- the project's library ----

/**
 * The schema library a fix should write code for: one the file already imports (and
 * the project lists), else the first the nearest package.json lists, else undefined.
 */
export function projectSchemaLibrary(ctx: RuleContext): SchemaLibrary | undefined {
  const deps = ctx.project.packageJson(ctx.fileName)?.allDependencies ?? {};
  const listed = SCHEMA_LIBRARIES.filter((lib) => lib in deps || (lib === 'joi' && '@hapi/joi' in deps));
  const imported = importedModules(ctx);
  return listed.find((lib) => imported.has(lib)) ?? listed[0];
}

function importedModules(ctx: RuleContext): Set<string> {
  const { ts } = ctx;
  const out = new Set<string>();
  for (const stmt of ctx.sourceFile.statements) {
    if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier)) out.add(stmt.moduleSpecifier.text.replace(/^@hapi\//, '').split('/')[0]);
  }
  return out;
}

// ---- Nest ----

const pipeCache = new WeakMap<ts.Program, Map<string, boolean>>();

/**
 * True when the project (the folder of the nearest package.json) installs a Nest
 * `ValidationPipe` for every route: `app.useGlobalPipes(new ValidationPipe(...))`
 * or an `APP_PIPE` provider using it.
 */
export function hasGlobalValidationPipe(ctx: RuleContext): boolean {
  const pkg = ctx.project.packageJson(ctx.fileName);
  const dir = pkg ? pkg.path.slice(0, pkg.path.lastIndexOf('/') + 1) : ctx.project.root;
  let byDir = pipeCache.get(ctx.program);
  if (!byDir) pipeCache.set(ctx.program, (byDir = new Map()));
  let found = byDir.get(dir);
  if (found === undefined) {
    found = ctx.program.getSourceFiles().some((sf) => !sf.isDeclarationFile && sf.fileName.startsWith(dir) && !sf.fileName.includes('/node_modules/') && sf.text.includes('ValidationPipe') && installsValidationPipe(ctx, sf));
    byDir.set(dir, found);
  }
  return found;
}

function installsValidationPipe(ctx: RuleContext, sf: ts.SourceFile): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'useGlobalPipes') {
      if (node.arguments.some((a) => isValidationPipe(ctx, a))) found = true;
    }
    // { provide: APP_PIPE, useClass: ValidationPipe } / useValue: new ValidationPipe()
    if (ts.isObjectLiteralExpression(node)) {
      const provide = propertyValue(ts, node, 'provide');
      const use = propertyValue(ts, node, 'useClass') ?? propertyValue(ts, node, 'useValue') ?? propertyValue(ts, node, 'useFactory');
      if (provide && use && ts.isIdentifier(provide) && isFromPackage(ctx, provide, '@nestjs/core') && (isValidationPipe(ctx, use) || (ts.isArrowFunction(use) && ts.isExpression(use.body) && isValidationPipe(ctx, use.body)))) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function propertyValue(ts: RuleContext['ts'], obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) if (ts.isPropertyAssignment(p) && p.name.getText() === name) return p.initializer;
  return undefined;
}

/** `new ValidationPipe(...)` or the `ValidationPipe` class itself, from @nestjs/common. */
export function isValidationPipe(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isNewExpression(e)) return resolveCall(ctx, e)?.module === '@nestjs/common' && calleeName(ts, e.expression) === 'ValidationPipe';
  return ts.isIdentifier(e) && e.text === 'ValidationPipe' && isFromPackage(ctx, e, '@nestjs/common');
}

function calleeName(ts: RuleContext['ts'], e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** True when the identifier resolves to a declaration of `pkg`. */
export function isFromPackage(ctx: RuleContext, id: ts.Identifier, pkg: string): boolean {
  const { ts } = ctx;
  let symbol = ctx.checker.getSymbolAtLocation(id);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  return (symbol?.declarations ?? []).some((d) => packageOfFile(d.getSourceFile().fileName) === pkg);
}
