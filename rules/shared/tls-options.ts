// Whether an option in an object literal reaches a library's TLS settings, and which
// call takes it: by the declaration the checker gives the option from the object's
// contextual type (node's tls/https options, got's `https`, undici's `connect`, pg's and
// mysql2's `ssl`), or, without types, by the package the receiving call resolves to.
// An object a project function takes for itself is not a TLS setting.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { packageOfFile, resolveCall, skipOuter } from './callee';
import { shortText } from './source-text';

export interface TlsOptionSite {
  /** The library that declares or receives the option ('tls', 'https', 'got', 'pg'…). */
  readonly library: string;
  /** The call or constructor the options object is given to, when it is in this file. */
  readonly consumer?: ts.CallExpression | ts.NewExpression;
}

const MAX_HOPS = 6;

/** The TLS site of `prop` (a property of an object literal), or undefined when no library takes it. */
export function tlsOptionSite(ctx: RuleContext, prop: ts.ObjectLiteralElementLike, name: string): TlsOptionSite | undefined {
  const { ts } = ctx;
  if (!ts.isObjectLiteralExpression(prop.parent)) return undefined;
  const consumer = consumerCall(ctx, prop.parent);
  const declaredBy = declaringLibrary(ctx, prop.parent, name);
  if (declaredBy) return { library: declaredBy, consumer };
  const target = consumer && resolveCall(ctx, consumer);
  if (target?.module && !target.isGlobal) return { library: target.module, consumer };
  return undefined;
}

/** How to name the site in a message: `new https.Agent(…)`, `got(…)`, or the library. */
export function siteLabel(ctx: RuleContext, site: TlsOptionSite): string {
  if (!site.consumer) return site.library;
  return `${ctx.ts.isNewExpression(site.consumer) ? 'new ' : ''}${shortText(ctx, site.consumer.expression)}(…)`;
}

/** The package whose type declares the option for this object literal (its contextual type). */
function declaringLibrary(ctx: RuleContext, obj: ts.ObjectLiteralExpression, name: string): string | undefined {
  const { ts } = ctx;
  const contextual = ctx.checker.getContextualType(obj);
  if (!contextual) return undefined;
  const parts = contextual.isUnion() ? contextual.types : [contextual];
  for (const part of parts) {
    for (const decl of part.getProperty(name)?.declarations ?? []) {
      const pkg = packageOfFile(decl.getSourceFile().fileName);
      if (pkg) return pkg === 'node' ? (ambientModule(ts, decl) ?? 'node') : pkg;
    }
  }
  return undefined;
}

function ambientModule(ts: RuleContext['ts'], node: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return n.name.text.replace(/^node:/, '');
  }
  return undefined;
}

/**
 * The call the options object ends up in: directly (`new Agent({ … })`), nested
 * (`new Pool({ ssl: { … } })`), or through the first place a `const` holding it is passed on
 * (`const options = { … }; tls.connect(options)`, also as `{ options }` inside another object).
 */
function consumerCall(ctx: RuleContext, obj: ts.ObjectLiteralExpression): ts.CallExpression | ts.NewExpression | undefined {
  const { ts } = ctx;
  let node: ts.Expression = obj;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const outer = outerOf(ts, node);
    const parent = outer.parent;
    if (!parent) return undefined;
    if (ts.isPropertyAssignment(parent) && parent.initializer === outer && ts.isObjectLiteralExpression(parent.parent)) {
      node = parent.parent;
    } else if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(outer)) {
      return parent;
    } else if (ts.isVariableDeclaration(parent) && parent.initializer === outer && ts.isIdentifier(parent.name)) {
      const use = firstArgumentUse(ctx, parent.name);
      if (!use) return undefined;
      node = use;
    } else if (ts.isShorthandPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) {
      node = parent.parent;
    } else return undefined;
  }
  return undefined;
}

/** The first place a `const` is passed on: as a call argument or as a property of another object. */
function firstArgumentUse(ctx: RuleContext, name: ts.Identifier): ts.Identifier | undefined {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(name);
  if (!symbol) return undefined;
  let found: ts.Identifier | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n !== name && n.text === name.text && isPassedOn(ts, n)) {
      const s = ts.isShorthandPropertyAssignment(n.parent) ? ctx.checker.getShorthandAssignmentValueSymbol(n.parent) : ctx.checker.getSymbolAtLocation(n);
      if (s === symbol) found = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(name.getSourceFile());
  return found;
}

function isPassedOn(ts: RuleContext['ts'], id: ts.Identifier): boolean {
  const outer = outerOf(ts, id);
  const p = outer.parent;
  if (!p) return false;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(outer)) return true;
  if (ts.isPropertyAssignment(p) && p.initializer === outer) return true;
  return ts.isShorthandPropertyAssignment(p) && p.name === id;
}

function outerOf(ts: RuleContext['ts'], node: ts.Expression): ts.Expression {
  let n: ts.Expression = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  return n;
}

/** `false` as a constant (a literal or a `const` of literal type false). */
export function isConstantFalse(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (e.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || !ts.isIdentifier(e)) return false;
  const type = ctx.checker.getTypeAtLocation(e);
  return (type.flags & ts.TypeFlags.BooleanLiteral) !== 0 && (type as { intrinsicName?: string }).intrinsicName === 'false';
}

/** A `checkServerIdentity` that accepts every certificate: returns nothing (`() => undefined`, `() => {}`). */
export function acceptsEveryIdentity(ctx: RuleContext, fn: ts.Node): boolean {
  const { ts } = ctx;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !ts.isMethodDeclaration(fn)) return false;
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return returnsNothing(ts, body);
  return body.statements.every((s) => ts.isReturnStatement(s) && (!s.expression || returnsNothing(ts, s.expression)));
}

function returnsNothing(ts: RuleContext['ts'], e: ts.Expression): boolean {
  const x = skipOuter(ts, e);
  return (ts.isIdentifier(x) && x.text === 'undefined') || x.kind === ts.SyntaxKind.NullKeyword || (ts.isVoidExpression(x) && ts.isLiteralExpression(x.expression));
}
