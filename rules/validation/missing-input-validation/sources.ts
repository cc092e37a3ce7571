// Where a function gets client data from: the request object and what is derived from
// it (`req.body`, an alias `const body = req.body`, destructuring, Nest `@Body()`
// parameters, Next's `await request.json()` and `searchParams.get('q')`), tracked by
// symbol through the function body in source order.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { isRequestObject } from '../../shared/http';

export type Part = 'body' | 'query' | 'params';
export const PARTS: readonly Part[] = ['body', 'query', 'params'];

/** Where a part came from, for messages and fixes. */
export interface PartOrigin {
  /** How the code names it: `req.body`, `dto`, `body` (an alias of `await request.json()`). */
  readonly label: string;
  /** The declaration holding the whole part, when it is one variable or parameter. */
  readonly holder?: ts.VariableDeclaration | ts.ParameterDeclaration;
  /** The expression producing the part (`req.body`, `await request.json()`), when there is one. */
  readonly producer?: ts.Expression;
  /** Read with `.get('name')` (URLSearchParams, FormData) rather than as properties. */
  readonly search?: boolean;
}

export type ValueKind =
  | { readonly kind: 'request'; readonly web: boolean; readonly label: string }
  | { readonly kind: 'url' }
  | { readonly kind: 'requestUrl' }
  | { readonly kind: 'part'; readonly part: Part; readonly origin: PartOrigin }
  | { readonly kind: 'field'; readonly part: Part; readonly field: string; readonly origin: PartOrigin };

/** A field of a part read by the function (`req.body.email`, `const { email } = req.body`). */
export interface FieldRead {
  readonly part: Part;
  readonly field: string;
  readonly origin: PartOrigin;
  /** The read itself: the access expression, or the binding name it was destructured into. */
  readonly node: ts.Node;
  /** True when `node` is an access expression (`req.body.email`) a fix can rewrite in place. */
  readonly isAccess: boolean;
  readonly label: string;
}

/** The whole part used as a value (`create(req.body)`, `{ ...body }`). */
export interface WholeUse {
  readonly part: Part;
  readonly origin: PartOrigin;
  readonly node: ts.Expression;
}

export interface RequestData {
  readonly fields: FieldRead[];
  readonly wholes: WholeUse[];
  /** Every expression that evaluates to a whole part (for fixes: they are rewritten). */
  readonly producers: ts.Expression[];
  readonly kindOf: (expr: ts.Expression) => ValueKind | undefined;
  readonly symbolOf: (id: ts.Identifier) => ts.Symbol | undefined;
}

export interface Seed {
  readonly node: ts.BindingName;
  readonly kind: ValueKind;
  /** For a Nest field parameter: the declaration the field read is reported on. */
  readonly declaration?: ts.ParameterDeclaration;
}

const CONVERSIONS = new Set(['Number', 'parseInt', 'parseFloat', 'String', 'Boolean', 'BigInt']);

/** Follows request data through `fn`, starting from the seeds (its request parameter, Nest parameters). */
export function readRequestData(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, seeds: readonly Seed[]): RequestData {
  const { ts } = ctx;
  const kinds = new Map<ts.Symbol, ValueKind>();
  const fields: FieldRead[] = [];
  const wholes: WholeUse[] = [];
  const producers: ts.Expression[] = [];

  const symbolOf = (id: ts.Identifier): ts.Symbol | undefined => {
    if (ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id) return ctx.checker.getShorthandAssignmentValueSymbol(id.parent);
    return ctx.checker.getSymbolAtLocation(id);
  };

  const kindOf = (expr: ts.Expression): ValueKind | undefined => {
    const e = skipOuter(ts, expr);
    if (ts.isAwaitExpression(e)) return kindOf(e.expression);
    if (ts.isIdentifier(e)) {
      if (ts.isPropertyAccessExpression(e.parent) && e.parent.name === e) return undefined;
      const symbol = symbolOf(e);
      const known = symbol && kinds.get(symbol);
      if (known) return known;
      // `@Req() req`, a request passed into a helper: known by its declared type (asked only
      // where a request would yield a part, to keep the checker's work small).
      const decl = symbol?.valueDeclaration;
      if (decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl)) && readsPart(e) && isRequestObject(ctx, e)) return { kind: 'request', web: false, label: e.text };
      return undefined;
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const name = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
      if (name === undefined) return undefined;
      const base = kindOf(e.expression);
      if (!base) return undefined;
      return member(base, name, e);
    }
    if (ts.isCallExpression(e)) return callKind(e);
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.[0]) {
      return kindOf(e.arguments[0])?.kind === 'requestUrl' ? { kind: 'url' } : undefined;
    }
    return undefined;
  };

  /** `x.body`, `x['query']`, `const { params } = x`: a use of `x` that yields a part if it is a request. */
  const readsPart = (e: ts.Identifier): boolean => {
    let n: ts.Node = e;
    while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
    const p = n.parent;
    const isPart = (name: string | undefined) => name === 'body' || name === 'query' || name === 'params';
    if (ts.isPropertyAccessExpression(p) && p.expression === n) return isPart(p.name.text);
    if (ts.isElementAccessExpression(p) && p.expression === n) return ts.isStringLiteralLike(p.argumentExpression) && isPart(p.argumentExpression.text);
    if (ts.isVariableDeclaration(p) && p.initializer === n && ts.isObjectBindingPattern(p.name)) {
      return p.name.elements.some((el) => isPart(((el.propertyName ?? el.name) as ts.Node).getText()));
    }
    return false;
  };

  const member = (base: ValueKind, name: string, e: ts.Expression): ValueKind | undefined => {
    switch (base.kind) {
      case 'request':
        if (base.web) {
          if (name === 'nextUrl') return { kind: 'url' };
          if (name === 'url') return { kind: 'requestUrl' };
          return undefined;
        }
        return name === 'body' || name === 'query' || name === 'params' ? { kind: 'part', part: name, origin: { label: `${base.label}.${name}`, producer: e } } : undefined;
      case 'url':
        return name === 'searchParams' ? { kind: 'part', part: 'query', origin: { label: e.getText(), producer: e, search: true } } : undefined;
      case 'part':
        if (base.origin.search) return undefined;
        return { kind: 'field', part: base.part, field: name, origin: base.origin };
      default:
        return undefined;
    }
  };

  const callKind = (call: ts.CallExpression): ValueKind | undefined => {
    const callee = skipOuter(ts, call.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const base = kindOf(callee.expression);
      const method = callee.name.text;
      // A Fetch API Request (Next app routes): the body is read by json()/formData().
      // FormData, like URLSearchParams, is read with .get('name').
      if (base?.kind === 'request' && base.web && (method === 'json' || method === 'formData')) {
        return { kind: 'part', part: 'body', origin: { label: `(await ${base.label}.${method}())`, producer: awaitedForm(call), search: method === 'formData' } };
      }
      if (base?.kind === 'part' && base.origin.search && (method === 'get' || method === 'getAll')) {
        const arg = call.arguments[0];
        return arg && ts.isStringLiteralLike(arg) ? { kind: 'field', part: base.part, field: arg.text, origin: base.origin } : undefined;
      }
    }
    // plainToInstance(Dto, req.body): the same data as an instance.
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name !== 'plainToInstance' && name !== 'plainToClass') return undefined;
    const target = resolveCall(ctx, call);
    if (target?.module === 'class-transformer' && (target.name === 'plainToInstance' || target.name === 'plainToClass') && call.arguments[1]) {
      const inner = kindOf(call.arguments[1]);
      return inner?.kind === 'part' ? inner : undefined;
    }
    return undefined;
  };

  /** `request.json()` is produced by `await request.json()`: the await belongs to it. */
  const awaitedForm = (call: ts.CallExpression): ts.Expression => {
    let n: ts.Node = call;
    while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
    return ts.isAwaitExpression(n.parent) ? n.parent : call;
  };

  const bind = (name: ts.BindingName, kind: ValueKind, holder?: ts.VariableDeclaration | ts.ParameterDeclaration): void => {
    if (ts.isIdentifier(name)) {
      const symbol = ctx.checker.getSymbolAtLocation(name);
      if (!symbol) return;
      if (kind.kind === 'part' && holder && !kind.origin.holder) {
        kinds.set(symbol, { ...kind, origin: { ...kind.origin, holder, label: kind.origin.search || kind.origin.producer && !ts.isPropertyAccessExpression(skipOuter(ts, kind.origin.producer)) ? name.text : kind.origin.label } });
      } else kinds.set(symbol, kind);
      return;
    }
    if (ts.isArrayBindingPattern(name)) return;
    for (const element of name.elements) {
      const key = element.propertyName ? (ts.isIdentifier(element.propertyName) || ts.isStringLiteralLike(element.propertyName) ? element.propertyName.text : undefined) : ts.isIdentifier(element.name) ? element.name.text : undefined;
      if (element.dotDotDotToken) {
        if (kind.kind === 'part') bind(element.name, kind);
        continue;
      }
      if (key === undefined) continue;
      const inner = member(kind, key, element as unknown as ts.Expression);
      if (!inner) continue;
      if (inner.kind === 'field') {
        fields.push({ part: inner.part, field: inner.field, origin: inner.origin, node: element, isAccess: false, label: fieldLabel(inner.origin, inner.field) });
      }
      // `const { body } = req`, `({ body }, res) =>`: the part is known by the binding's name.
      const label = inner.kind === 'part' && ts.isIdentifier(element.name) ? element.name.text : undefined;
      bind(element.name, inner.kind === 'part' ? { ...inner, origin: { ...inner.origin, producer: undefined, label: label ?? inner.origin.label } } : inner);
    }
  };

  for (const seed of seeds) {
    if (seed.kind.kind === 'field' && seed.declaration) {
      fields.push({ part: seed.kind.part, field: seed.kind.field, origin: seed.kind.origin, node: seed.declaration.name, isAccess: false, label: seed.kind.origin.label });
    }
    bind(seed.node, seed.kind, seed.declaration);
  }

  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const kind = kindOf(node.initializer);
      if (kind && kind.kind !== 'field') {
        if (kind.kind === 'part') producers.push(kind.origin.producer ?? node.initializer);
        bind(node.name, kind, ts.isIdentifier(node.name) ? node : undefined);
        return;
      }
    }
    if (ts.isExpression(node) && !isDeclarationName(node)) {
      const kind = kindOf(node);
      if (kind?.kind === 'field' && !ts.isIdentifier(node)) {
        fields.push({ part: kind.part, field: kind.field, origin: kind.origin, node, isAccess: true, label: fieldLabel(kind.origin, kind.field) });
        return;
      }
      if (kind?.kind === 'part' && !ts.isParenthesizedExpression(node) && !ts.isAwaitExpression(node.parent)) {
        wholes.push({ part: kind.part, origin: kind.origin, node });
        if (!ts.isIdentifier(node)) producers.push(kind.origin.producer ?? node);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  const isDeclarationName = (node: ts.Node): boolean => !!node.parent && (ts.isBindingElement(node.parent) || ts.isVariableDeclaration(node.parent) || ts.isParameter(node.parent)) && (node.parent as ts.NamedDeclaration).name === node;
  if (fn.body) visit(fn.body);

  return { fields, wholes, producers, kindOf, symbolOf };
}

/** A Nest `@Query('q') q` parameter: one field, bound to a parameter, with no part around it. */
export function isFieldParameter(read: FieldRead): boolean {
  return !read.isAccess && !!read.origin.holder && read.node.parent === read.origin.holder;
}

export function fieldLabel(origin: PartOrigin, field: string): string {
  if (origin.search) return `${origin.label}.get('${field}')`;
  return /^[A-Za-z_$][\w$]*$/.test(field) ? `${origin.label}.${field}` : `${origin.label}['${field}']`;
}

/**
 * The expressions that carry a read value onward: the read itself, lifted over
 * conversions and defaults (`Number(req.query.page) || 1`), and, when that is
 * stored in a variable, every reference to the variable.
 */
export interface Carrier {
  readonly expr: ts.Expression;
  /** A conversion the code applies on the way (`Number`, `parseInt`, …). */
  readonly converted?: string;
  /** A default was given (`?? x`, `|| x`, `= x` in destructuring): the field may be absent. */
  readonly defaulted: boolean;
}

export function carriersOf(ctx: RuleContext, data: RequestData, read: { node: ts.Node; isAccess: boolean }, fn: ts.Node): Carrier[] {
  const { ts } = ctx;
  const out: Carrier[] = [];
  const seen = new Set<ts.Node>();
  const references = (name: ts.Identifier): ts.Expression[] => {
    const symbol = ctx.checker.getSymbolAtLocation(name);
    if (!symbol) return [];
    const refs: ts.Expression[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && n !== name && data.symbolOf(n) === symbol && !(ts.isBindingElement(n.parent) || ts.isVariableDeclaration(n.parent) || ts.isParameter(n.parent))) refs.push(n);
      ts.forEachChild(n, visit);
    };
    visit(fn);
    return refs;
  };
  const lift = (start: ts.Expression, converted: string | undefined, defaulted: boolean, depth: number): void => {
    if (seen.has(start) || depth > 4) return;
    seen.add(start);
    let n: ts.Expression = start;
    for (;;) {
      const p = n.parent;
      if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p) || ts.isTypeAssertionExpression(p)) n = p;
      else if (ts.isCallExpression(p) && p.arguments[0] === n && isConversion(ctx, p)) {
        converted = (p.expression as ts.Identifier | ts.PropertyAccessExpression).getText().replace(/^Number\./, '');
        n = p;
      } else if (ts.isBinaryExpression(p) && p.left === n && (p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
        defaulted = true;
        n = p;
      } else break;
    }
    const p = n.parent;
    if (ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name)) {
      for (const ref of references(p.name)) lift(ref, converted, defaulted, depth + 1);
      return;
    }
    out.push({ expr: n, converted, defaulted });
  };
  if (read.isAccess) lift(read.node as ts.Expression, undefined, false, 0);
  else {
    const name = ts.isBindingElement(read.node) ? read.node.name : ts.isIdentifier(read.node) ? read.node : undefined;
    const defaulted = ts.isBindingElement(read.node) && !!read.node.initializer;
    if (name && ts.isIdentifier(name)) for (const ref of references(name)) lift(ref, undefined, defaulted, 1);
  }
  return out;
}

/** Number(x), parseInt(x), String(x)… (the globals, not a local function of the same name). */
function isConversion(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = call.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Number' ? callee.name.text : undefined;
  if (!name || !CONVERSIONS.has(name)) return false;
  const target = resolveCall(ctx, call);
  return !target || target.isGlobal;
}
