// What validates a route before its handler runs: middleware registered on the same
// route (a schema middleware such as `validate(schema)` or `celebrate`, express-validator
// chains, a project middleware that parses the request), and Fastify's route `schema`
// and `preValidation` options. One level into project functions, no further.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import type { RouteHandler } from '../../shared/http';
import { isSchemaValue, packageOfValueType, VALIDATION_MIDDLEWARE_PACKAGES, validatingCall } from '../../shared/validation-libs';
import { analyzeFunction, fieldKey, projectFunctionOf } from './function-facts';
import { PARTS, type Part } from './sources';

export interface RouteCoverage {
  /** Parts a schema checks before the handler runs. */
  readonly parts: Set<Part>;
  /** `body.email` fields a middleware checks on their own. */
  readonly guardedFields: Set<string>;
  /** Fields (`body.email`) or whole parts (`body.*`) that express-validator chains on the route check. */
  readonly chainFields: Set<string>;
  /** A middleware on the route consults express-validator's results, or might (it could not be seen into). */
  readonly readsValidationResult: boolean;
}

const REQUEST_PART_KEYS: Readonly<Record<string, Part>> = { body: 'body', query: 'query', querystring: 'query', params: 'params' };
const CHAIN_PARTS: Readonly<Record<string, readonly Part[]>> = { body: ['body'], query: ['query'], param: ['params'], check: PARTS, checkSchema: PARTS };
const MAX_DEPTH = 3;

export function routeCoverage(ctx: RuleContext, handler: RouteHandler): RouteCoverage {
  const cov = { parts: new Set<Part>(), guardedFields: new Set<string>(), chainFields: new Set<string>(), readsValidationResult: false };
  for (const m of handler.middleware ?? []) middleware(ctx, m, cov, 0);
  const options = handler.routeOptions;
  if (options) fastifyOptions(ctx, options, cov);
  return cov;
}

type MutableCoverage = { parts: Set<Part>; guardedFields: Set<string>; chainFields: Set<string>; readsValidationResult: boolean };

function allParts(cov: MutableCoverage): void {
  for (const p of PARTS) cov.parts.add(p);
}

function middleware(ctx: RuleContext, expr: ts.Expression, cov: MutableCoverage, depth: number): void {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return;
  const m = skipOuter(ts, expr);
  if (ts.isArrayLiteralExpression(m)) {
    for (const el of m.elements) middleware(ctx, el, cov, depth + 1);
    return;
  }
  if (isExpressValidator(ctx, m)) {
    chainFields(ctx, m, cov);
    return;
  }
  if (ts.isArrowFunction(m) || ts.isFunctionExpression(m)) {
    middlewareFunction(ctx, m, cov);
    return;
  }
  if (ts.isCallExpression(m)) {
    middlewareCall(ctx, m, cov);
    return;
  }
  if (ts.isIdentifier(m) || ts.isPropertyAccessExpression(m)) {
    const nameNode = ts.isIdentifier(m) ? m : m.name;
    let symbol = ctx.checker.getSymbolAtLocation(nameNode);
    if (symbol && symbol.flags & ctx.ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!decl) {
      cov.readsValidationResult = true;
      return;
    }
    const file = decl.getSourceFile();
    if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) {
      const pkg = packageOfValueType(ctx, m);
      if (pkg && VALIDATION_MIDDLEWARE_PACKAGES.has(pkg)) allParts(cov);
      return;
    }
    if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) {
      middlewareFunction(ctx, decl, cov);
      return;
    }
    if ((ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
      middleware(ctx, decl.initializer, cov, depth + 1);
      return;
    }
    // Something we cannot see into: it may well check express-validator's results.
    cov.readsValidationResult = true;
  }
}

function middlewareFunction(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, cov: MutableCoverage): void {
  const request = fn.parameters.length === 4 ? fn.parameters[1] : fn.parameters[0];
  if (!request) return;
  const facts = analyzeFunction(ctx, fn, [{ node: request.name, kind: { kind: 'request', web: false, label: request.name.getText() } }], 1);
  for (const p of facts.validatedParts) cov.parts.add(p);
  for (const f of facts.guardedFields) cov.guardedFields.add(f);
  if (facts.readsValidationResult) cov.readsValidationResult = true;
}

/** `validate(schema)`, `celebrate({ body: … })`, `validateBody(CreateUserDto)`, a project factory that validates. */
function middlewareCall(ctx: RuleContext, call: ts.CallExpression, cov: MutableCoverage): void {
  const { ts } = ctx;
  const target = resolveCall(ctx, call);
  const fromValidationPackage = !!target?.module && VALIDATION_MIDDLEWARE_PACKAGES.has(target.module);
  const schemaArgs = call.arguments.some((a) => isSchemaValue(ctx, a) || (ts.isObjectLiteralExpression(skipOuter(ts, a)) && objectHoldsSchemas(ctx, skipOuter(ts, a) as ts.ObjectLiteralExpression)));
  if (fromValidationPackage || schemaArgs) {
    const keyed = call.arguments.map((a) => skipOuter(ts, a)).find(ts.isObjectLiteralExpression);
    const parts = keyed ? partsOfKeys(ctx, keyed) : [];
    if (parts.length) parts.forEach((p) => cov.parts.add(p));
    else allParts(cov);
    return;
  }
  const factory = projectFunctionOf(ctx, call);
  if (factory && containsValidatingCall(ctx, factory)) allParts(cov);
}

function objectHoldsSchemas(ctx: RuleContext, obj: ts.ObjectLiteralExpression): boolean {
  const { ts } = ctx;
  return obj.properties.some((p) => (ts.isPropertyAssignment(p) && isSchemaValue(ctx, p.initializer)) || (ts.isShorthandPropertyAssignment(p) && isSchemaValue(ctx, p.name)));
}

/** `{ body: schema, query: … }`, celebrate's `{ [Segments.BODY]: … }`. */
function partsOfKeys(ctx: RuleContext, obj: ts.ObjectLiteralExpression): Part[] {
  const { ts } = ctx;
  const out: Part[] = [];
  for (const p of obj.properties) {
    if (!p.name) continue;
    let key: string | undefined;
    if (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) key = p.name.text;
    else if (ts.isComputedPropertyName(p.name)) {
      const e = skipOuter(ts, p.name.expression);
      key = ts.isPropertyAccessExpression(e) ? e.name.text.toLowerCase() : ts.isStringLiteralLike(e) ? e.text : undefined;
    }
    const part = key ? REQUEST_PART_KEYS[key] : undefined;
    if (part) out.push(part);
  }
  return out;
}

function containsValidatingCall(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && validatingCall(ctx, n)) found = true;
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

// ---- express-validator ----

function isExpressValidator(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (packageOfValueType(ctx, e) === 'express-validator') return true;
  const root = chainRoot(ts, e);
  return !!root && resolveCall(ctx, root)?.module === 'express-validator';
}

/** `body('email')` in `body('email').isEmail().normalizeEmail()`. */
function chainRoot(ts: RuleContext['ts'], e: ts.Expression): ts.CallExpression | undefined {
  const start = skipOuter(ts, e);
  if (!ts.isCallExpression(start)) return undefined;
  let call: ts.CallExpression = start;
  for (;;) {
    const inner = ts.isPropertyAccessExpression(call.expression) ? skipOuter(ts, call.expression.expression) : undefined;
    if (!inner || !ts.isCallExpression(inner)) return call;
    call = inner;
  }
}

function chainFields(ctx: RuleContext, e: ts.Expression, cov: MutableCoverage): void {
  const { ts } = ctx;
  const root = chainRoot(ts, e);
  const target = root && resolveCall(ctx, root);
  const parts = target ? CHAIN_PARTS[target.name] : undefined;
  if (!root || !target || target.module !== 'express-validator') {
    // A chain built elsewhere (a variable of type ValidationChain[]): assume it covers everything.
    PARTS.forEach((p) => cov.chainFields.add(`${p}.*`));
    return;
  }
  if (!parts) {
    if (target.name !== 'header' && target.name !== 'cookie') PARTS.forEach((p) => cov.chainFields.add(`${p}.*`));
    return;
  }
  const first = root.arguments[0] && skipOuter(ts, root.arguments[0]);
  let names: string[] | undefined;
  if (target.name === 'checkSchema') {
    names = first && ts.isObjectLiteralExpression(first) ? first.properties.flatMap((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) ? [p.name.text] : [])) : undefined;
  } else if (!first) names = undefined;
  else if (ts.isStringLiteralLike(first)) names = [first.text];
  else if (ts.isArrayLiteralExpression(first) && first.elements.every(ts.isStringLiteralLike)) names = first.elements.map((x) => (x as ts.StringLiteralLike).text);
  for (const part of parts) {
    if (!names) cov.chainFields.add(`${part}.*`);
    // 'items.*.id' and 'address.city' check inside a top-level field.
    else for (const n of names) cov.chainFields.add(fieldKey(part, n.split(/[.[]/)[0]));
  }
}

// ---- Fastify ----

function fastifyOptions(ctx: RuleContext, options: ts.ObjectLiteralExpression, cov: MutableCoverage): void {
  const { ts } = ctx;
  for (const p of options.properties) {
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) ? p.name.text : undefined;
    const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
    if (!name || !value) continue;
    if (name === 'schema') {
      const obj = objectLiteralOf(ctx, value);
      const parts = obj ? partsOfKeys(ctx, obj) : undefined;
      if (!obj) allParts(cov);
      else parts?.forEach((x) => cov.parts.add(x));
    } else if (name === 'preValidation' || name === 'preHandler' || name === 'onRequest') {
      // Hooks are credited like Express middleware: only for the validation they are seen to do.
      middleware(ctx, value, cov, 0);
    }
  }
}

/** The object literal a value is, directly or through a `const`. */
function objectLiteralOf(ctx: RuleContext, e: ts.Expression, depth = 0): ts.ObjectLiteralExpression | undefined {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isObjectLiteralExpression(x)) return x;
  if (!ts.isIdentifier(x) || depth > 3) return undefined;
  let symbol = ctx.checker.getSymbolAtLocation(x);
  if (ts.isShorthandPropertyAssignment(x.parent)) symbol = ctx.checker.getShorthandAssignmentValueSymbol(x.parent);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  return decl && ts.isVariableDeclaration(decl) && decl.initializer ? objectLiteralOf(ctx, decl.initializer, depth + 1) : undefined;
}
