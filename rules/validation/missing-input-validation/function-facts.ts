// What one function does with the request data it reads: which parts it validates
// with a schema, which fields it type-checks itself, and which reads really use the
// value (stored, computed with, sent on) rather than only log or test it.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, resolveCall, skipOuter } from '../../shared/callee';
import { loggerLibraryOf } from '../../shared/logger';
import { packageOfValueType, validatesWhenEvaluated, validatingCall } from '../../shared/validation-libs';
import { carriersOf, readRequestData, type Carrier, type FieldRead, type Part, type RequestData, type Seed, type WholeUse } from './sources';

export interface FunctionFacts {
  readonly data: RequestData;
  /** Parts parsed with a schema inside the function (or by a project function it hands them to). */
  readonly validatedParts: Set<Part>;
  /** `body.email`: fields the function type-checks or validates on their own. */
  readonly guardedFields: Set<string>;
  /** The function consults express-validator's results for its request (`validationResult(req)`, `matchedData(req)`). */
  readonly readsValidationResult: boolean;
  /** Field reads whose value is used for something. */
  readonly usedFields: FieldRead[];
  /** Whole parts used as a value (stored, spread, passed to a library). */
  readonly usedWholes: WholeUse[];
}

export const fieldKey = (part: Part, field: string): string => `${part}.${field}`;

/** Analyses `fn`; `depth` > 0 when following data into a project function (which is not followed further). */
export function analyzeFunction(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, seeds: readonly Seed[], depth = 0): FunctionFacts {
  const { ts } = ctx;
  const data = readRequestData(ctx, fn, seeds);
  const validatedParts = new Set<Part>();
  const guardedFields = new Set<string>();
  let readsValidationResult = false;

  const markValidated = (subject: ts.Expression): void => {
    const e = skipOuter(ts, subject);
    const kind = data.kindOf(e);
    if (kind?.kind === 'part') validatedParts.add(kind.part);
    else if (kind?.kind === 'field') guardedFields.add(fieldKey(kind.part, kind.field));
    else if (kind?.kind === 'request') readsValidationResult = true;
    else if (ts.isObjectLiteralExpression(e)) {
      // schema.parse({ ...req.body, id: req.params.id })
      for (const p of e.properties) {
        if (ts.isSpreadAssignment(p) || ts.isPropertyAssignment(p)) markValidated(ts.isSpreadAssignment(p) ? p.expression : p.initializer);
        else if (ts.isShorthandPropertyAssignment(p)) markValidated(p.name);
      }
    } else if (ts.isIdentifier(e)) {
      // A field first stored in a variable: const email = req.body.email; z.email().parse(email)
      for (const read of data.fields) {
        if (read.isAccess || !ts.isBindingElement(read.node) || !ts.isIdentifier(read.node.name)) continue;
        if (data.symbolOf(e) === ctx.checker.getSymbolAtLocation(read.node.name)) guardedFields.add(fieldKey(read.part, read.field));
      }
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const v = validatingCall(ctx, node);
      if (v?.subject && validatesWhenEvaluated(ctx, node, v)) markValidated(v.subject);
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);

  const usedWholes: WholeUse[] = [];
  for (const whole of data.wholes) {
    const verdict = wholeUseVerdict(ctx, whole, depth);
    if (verdict === 'validates') validatedParts.add(whole.part);
    else if (verdict === 'use') usedWholes.push(whole);
  }

  const usedFields: FieldRead[] = [];
  for (const read of data.fields) {
    const carriers = carriersOf(ctx, data, read, fn);
    let used = !read.isAccess && ts.isBindingElement(read.node) && !ts.isIdentifier(read.node.name);
    for (const c of carriers) {
      const role = carrierRole(ctx, c, depth);
      if (role === 'guard') guardedFields.add(fieldKey(read.part, read.field));
      else if (role === 'use') used = true;
    }
    if (used) usedFields.push(read);
  }
  return { data, validatedParts, guardedFields, readsValidationResult, usedFields, usedWholes };
}

// ---- what a read value is used for ----

type Role = 'use' | 'inert' | 'guard';

const TYPE_TEST_FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
  Number: ['isInteger', 'isFinite', 'isSafeInteger', 'isNaN'],
  Array: ['isArray'],
};
const ALLOW_LIST_RECEIVERS = new Set(['Array', 'ReadonlyArray', 'Set', 'ReadonlySet', 'Map', 'ReadonlyMap']);

/** How a carried field value is used: a use, an inert read (logged, tested for presence), or a type/allow-list guard. */
export function carrierRole(ctx: RuleContext, carrier: Carrier, depth = 0): Role {
  const { ts } = ctx;
  const e = carrier.expr;
  const p = e.parent;
  if (ts.isTypeOfExpression(p)) return isTypeTestComparison(ctx, p) && resultIsUsed(ctx, p.parent) ? 'guard' : 'inert';
  if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return 'inert';
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    const other = p.left === e ? p.right : p.left;
    if (isEquality(ts, op)) return isAllowListLiteral(ts, other) && resultIsUsed(ctx, p) ? 'guard' : 'inert';
    if (op === ts.SyntaxKind.InstanceOfKeyword && p.left === e) return 'guard';
    if ([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.InKeyword].includes(op)) return 'inert';
    if (op === ts.SyntaxKind.AmpersandAmpersandToken && p.left === e) return 'inert';
  }
  if ((ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) && p.expression === e) return 'inert';
  if (ts.isConditionalExpression(p) && p.condition === e) return 'inert';
  if (ts.isSwitchStatement(p)) return 'inert';
  if (ts.isCallExpression(p) && p.arguments.includes(e)) {
    if (isTypeTestCall(ctx, p) || isAllowListCall(ctx, p, e) || isPatternTest(ctx, p, e)) return resultIsUsed(ctx, p) ? 'guard' : 'inert';
    const v = validatingCall(ctx, p);
    if (v?.subject === e) return validatesWhenEvaluated(ctx, p, v) ? 'guard' : 'inert';
    // parsePage(req.query.page): a project function that checks its parameter (one level).
    if (depth === 0 && checksParameter(ctx, p, p.arguments.indexOf(e))) return 'guard';
  }
  if (isLengthBound(ctx, e)) return 'guard';
  if (ts.isCallExpression(p) && p.expression === e) return 'use';
  if (insideLoggingCall(ctx, e)) return 'inert';
  return 'use';
}

/** The project function called checks (type-tests, allow-lists or validates) the parameter at `index`. */
function checksParameter(ctx: RuleContext, call: ts.CallExpression, index: number): boolean {
  const fn = projectFunctionOf(ctx, call);
  const param = fn?.parameters[index];
  if (!fn || !param || param.dotDotDotToken || !ctx.ts.isIdentifier(param.name)) return false;
  const seed = { node: param.name, kind: { kind: 'field' as const, part: 'body' as const, field: param.name.text, origin: { label: param.name.text } }, declaration: param };
  return analyzeFunction(ctx, fn, [seed], 1).guardedFields.size > 0;
}

function isEquality(ts: RuleContext['ts'], op: ts.SyntaxKind): boolean {
  return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
}

/** A literal a value can be checked against (not null/undefined, which only test presence). */
function isAllowListLiteral(ts: RuleContext['ts'], e: ts.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isStringLiteralLike(x) || ts.isNumericLiteral(x) || x.kind === ts.SyntaxKind.TrueKeyword || x.kind === ts.SyntaxKind.FalseKeyword || (ts.isPrefixUnaryExpression(x) && ts.isNumericLiteral(x.operand));
}

/** `typeof x === 'string'` (and !==, ==, !=, with the literal on either side). */
function isTypeTestComparison(ctx: RuleContext, typeOf: ts.TypeOfExpression): boolean {
  const { ts } = ctx;
  let n: ts.Node = typeOf;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (!ts.isBinaryExpression(p) || !isEquality(ts, p.operatorToken.kind)) return false;
  const other = p.left === n ? p.right : p.left;
  const lit = skipOuter(ts, other);
  return ts.isStringLiteralLike(lit) && lit.text !== 'undefined';
}

/** The test's outcome decides something (a condition, a stored flag, a return), rather than being thrown away. */
function resultIsUsed(ctx: RuleContext, test: ts.Node): boolean {
  const { ts } = ctx;
  let n = test;
  while (ts.isParenthesizedExpression(n.parent) || (ts.isPrefixUnaryExpression(n.parent) && n.parent.operator === ts.SyntaxKind.ExclamationToken)) n = n.parent;
  return !ts.isExpressionStatement(n.parent);
}

function isTypeTestCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = call.expression;
  if (ts.isIdentifier(callee) && (callee.text === 'isNaN' || callee.text === 'isFinite')) return resolveCall(ctx, call)?.isGlobal ?? true;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const names = TYPE_TEST_FUNCTIONS[callee.expression.text];
    if (names?.includes(callee.name.text)) return resolveCall(ctx, call)?.isGlobal ?? true;
  }
  // validator.js: isEmail(x), validator.isUUID(x)
  const target = resolveCall(ctx, call);
  return target?.module === 'validator' && target.name.startsWith('is');
}

/**
 * `q.length > 100` on a value the platform already types as a string (a search
 * param, a route param): its type needs no check, its size does. On `any` data a
 * length says nothing about the type, so it is not a guard there.
 */
function isLengthBound(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const access = e.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== e || access.name.text !== 'length') return false;
  const cmp = access.parent;
  if (!ts.isBinaryExpression(cmp) || ![ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken].includes(cmp.operatorToken.kind)) return false;
  const type = ctx.checker.getTypeAtLocation(e);
  return !!(type.flags & ts.TypeFlags.StringLike) && resultIsUsed(ctx, cmp);
}

/** /^[a-z]+$/.test(x): a pattern the value must match. */
function isPatternTest(ctx: RuleContext, call: ts.CallExpression, arg: ts.Expression): boolean {
  const { ts } = ctx;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'test' || call.arguments[0] !== arg) return false;
  return ctx.checker.getApparentType(ctx.checker.getTypeAtLocation(callee.expression)).getSymbol()?.name === 'RegExp';
}

/** ALLOWED.includes(x), allowed.has(x) on an array, set or map. */
function isAllowListCall(ctx: RuleContext, call: ts.CallExpression, arg: ts.Expression): boolean {
  const { ts } = ctx;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || call.arguments[0] !== arg) return false;
  if (callee.name.text !== 'includes' && callee.name.text !== 'has') return false;
  const type = ctx.checker.getApparentType(ctx.checker.getTypeAtLocation(callee.expression));
  const symbol = type.getSymbol();
  return !!symbol && ALLOW_LIST_RECEIVERS.has(symbol.name) && (symbol.declarations ?? []).some((d) => /\/lib\.[^/]*\.d\.ts$/.test(d.getSourceFile().fileName));
}

/** The value ends up only in the arguments of a logger call (directly, in a template, or in an object). */
export function insideLoggingCall(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  let n: ts.Node = expr;
  for (;;) {
    const p = n.parent;
    if (ts.isTemplateSpan(p) || ts.isTemplateExpression(p) || ts.isParenthesizedExpression(p) || ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isObjectLiteralExpression(p) || ts.isArrayLiteralExpression(p) || ts.isSpreadAssignment(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken)) {
      n = p;
      continue;
    }
    return ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression) && isLoggingCall(ctx, p);
  }
}

const LOGGER_PACKAGES = new Set(['pino', 'winston', 'bunyan', 'debug', 'loglevel', 'log4js', 'consola', 'signale', 'npmlog', 'roarr']);

export function isLoggingCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const receiver = ts.isPropertyAccessExpression(callee) ? skipOuter(ts, callee.expression) : undefined;
  if (receiver && ts.isIdentifier(receiver) && receiver.text === 'console') {
    const decl = ctx.checker.getSymbolAtLocation(receiver)?.declarations?.[0];
    return !decl || decl.getSourceFile().isDeclarationFile;
  }
  // The import a receiver comes from, then where the called function is declared, decide
  // cheaply for most calls; the logger's type (Nest's Logger, a wrapper) is only asked
  // about when they say nothing.
  const origin = packageByImports(ctx, call);
  if (origin) return LOGGER_PACKAGES.has(origin);
  const target = resolveCall(ctx, call);
  if (target?.module && LOGGER_PACKAGES.has(target.module)) return true;
  if (target?.module === '@nestjs/common') return target.owner === 'Logger' || target.owner === 'LoggerService' || target.owner === 'ConsoleLogger';
  if (target?.module || target?.isGlobal) return false;
  if (receiver && loggerLibraryOf(ctx, receiver)) return true;
  return packageOfValueType(ctx, callee) === 'debug';
}

// ---- what a whole part is used for ----

type WholeVerdict = 'use' | 'inert' | 'validates';

const INSPECTING_OBJECT_FUNCTIONS = new Set(['keys', 'values', 'entries', 'getOwnPropertyNames', 'freeze', 'isFrozen']);

function wholeUseVerdict(ctx: RuleContext, whole: WholeUse, depth: number): WholeVerdict {
  const { ts } = ctx;
  let n: ts.Expression = whole.node;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || ts.isAwaitExpression(n.parent)) n = n.parent;
  // Climb out of object/array literals: `{ data: { ...req.body } }`.
  let spread = false;
  for (;;) {
    const p: ts.Node = n.parent;
    if (ts.isSpreadAssignment(p) || ts.isSpreadElement(p)) spread = true;
    if (ts.isSpreadAssignment(p) || ts.isSpreadElement(p) || ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) {
      n = p.parent as ts.Expression;
      continue;
    }
    if (ts.isArrayLiteralExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p)) {
      n = p;
      continue;
    }
    break;
  }
  const p = n.parent;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(n)) return callVerdict(ctx, p, p.arguments.indexOf(n), whole.part, depth);
  if (ts.isElementAccessExpression(p) && p.expression === n) return 'use';
  if (ts.isForOfStatement(p) || ts.isForInStatement(p)) return 'use';
  if (ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && (ts.isPropertyAccessExpression(p.left) || ts.isElementAccessExpression(p.left))) return 'use';
  return spread && !ts.isReturnStatement(p) ? 'use' : 'inert';
}

function callVerdict(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, argIndex: number, part: Part, depth: number): WholeVerdict {
  const { ts } = ctx;
  if (ts.isCallExpression(call)) {
    const v = validatingCall(ctx, call);
    if (v) return 'inert';
    if (isLoggingCall(ctx, call)) return 'inert';
  }
  const arg = call.arguments![argIndex];
  const raw = part === 'body' && !ts.isObjectLiteralExpression(arg) && !ts.isArrayLiteralExpression(arg);
  // A package's function (known from the imports, without asking the checker): the data is used.
  if (packageByImports(ctx, call)) return raw && takesRawPayload(ctx, arg) ? 'inert' : 'use';
  const target = resolveCall(ctx, call);
  // Only a body passed as it is can be a raw payload (express.raw(), a webhook).
  if ((target?.isGlobal || target?.module) && raw && takesRawPayload(ctx, arg)) return 'inert';
  if (target?.isGlobal) {
    const owner = ts.isPropertyAccessExpression(call.expression) && ts.isIdentifier(call.expression.expression) ? call.expression.expression.text : undefined;
    if (owner === 'JSON') return 'inert';
    if (owner === 'Object' && INSPECTING_OBJECT_FUNCTIONS.has(target.name)) return 'inert';
    return 'use';
  }
  if (target?.module && !target.module.startsWith('.') && !target.module.startsWith('/')) return 'use';
  const fn = projectFunctionOf(ctx, call);
  if (!fn || depth > 0) return 'inert';
  const param = fn.parameters[argIndex];
  if (!param || param.dotDotDotToken) return 'inert';
  const facts = analyzeFunction(ctx, fn, [{ node: param.name, kind: { kind: 'part', part, origin: { label: param.name.getText() } } }], depth + 1);
  if (facts.validatedParts.size > 0) return 'validates';
  const usedField = facts.usedFields.some((f) => !facts.guardedFields.has(fieldKey(f.part, f.field)));
  return usedField || facts.usedWholes.length > 0 ? 'use' : 'inert';
}

/** The package a call's function comes from, by following its receiver or name to an import; undefined for project code or unknown. */
function packageByImports(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): string | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const origin = originOf(ctx, ts.isPropertyAccessExpression(callee) ? callee.expression : callee);
  return origin && !origin.module.startsWith('.') && !origin.module.startsWith('/') ? origin.module : undefined;
}

/**
 * The parameter takes a string or bytes (a webhook signature check on the raw body,
 * a hash): the body is then an unparsed payload, not structured input to validate.
 */
function takesRawPayload(ctx: RuleContext, arg: ts.Expression | undefined): boolean {
  const { ts } = ctx;
  if (!arg) return false;
  const type = ctx.checker.getContextualType(arg);
  if (!type || type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)) return false;
  const parts = type.isUnion() ? type.types : [type];
  const raw = (t: ts.Type): boolean => !!(t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) || ['Buffer', 'Uint8Array', 'ArrayBuffer', 'ArrayBufferView'].includes(t.getSymbol()?.name ?? '');
  return parts.every(raw);
}

/** The body of the project function a call invokes (not a declaration in a package). */
export function projectFunctionOf(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): ts.FunctionLikeDeclaration | undefined {
  const { ts } = ctx;
  // The callee's declaration by symbol (cheap); the resolved signature only for what that misses.
  const callee = skipOuter(ts, call.expression);
  const nameNode = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  let symbol = nameNode && ctx.checker.getSymbolAtLocation(nameNode);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  let decl: ts.Node | undefined = symbol?.valueDeclaration;
  if (decl && (ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) decl = skipOuter(ts, decl.initializer);
  if (!decl && ts.isCallExpression(call) && !nameNode) decl = ctx.checker.getResolvedSignature(call)?.declaration;
  if (!decl || !(ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isArrowFunction(decl) || ts.isFunctionExpression(decl) || ts.isConstructorDeclaration(decl)) || !decl.body) return undefined;
  const file = decl.getSourceFile();
  if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) return undefined;
  return decl;
}
