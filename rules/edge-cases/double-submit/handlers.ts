// The submit handlers a React component attaches: `onSubmit` of a <form> and `onClick` of a
// <button> (or <input type="submit">), resolved to the function that runs — inline, a local
// function or const, a `useCallback` — and the component whose JSX attaches it.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';

export interface SubmitHandler {
  readonly attribute: ts.JsxAttribute;
  readonly element: ts.JsxOpeningLikeElement;
  readonly kind: 'form' | 'button';
  readonly handler: ts.FunctionLikeDeclaration;
  /** How the message names the handler: `handleSubmit`, or the attribute for an inline one. */
  readonly name: string;
  /** The outermost function around the JSX: the component (state lives there). */
  readonly component: ts.FunctionLikeDeclaration | undefined;
}

export function findSubmitHandlers(ctx: RuleContext): SubmitHandler[] {
  const { ts } = ctx;
  const out: SubmitHandler[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isJsxAttribute(node)) {
      const found = submitHandler(ctx, node);
      if (found) out.push(found);
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return out;
}

function submitHandler(ctx: RuleContext, attribute: ts.JsxAttribute): SubmitHandler | undefined {
  const { ts } = ctx;
  if (!ts.isIdentifier(attribute.name)) return undefined;
  const element = attribute.parent.parent;
  const tag = intrinsicTag(ctx, element);
  const attr = attribute.name.text;
  let kind: SubmitHandler['kind'] | undefined;
  if (attr === 'onSubmit' && tag === 'form') kind = 'form';
  else if (attr === 'onClick' && (tag === 'button' || (tag === 'input' && isSubmitInput(ctx, element)))) kind = 'button';
  if (!kind || !attribute.initializer || !ts.isJsxExpression(attribute.initializer) || !attribute.initializer.expression) return undefined;
  const resolved = resolveHandler(ctx, attribute.initializer.expression);
  if (!resolved) return undefined;
  return { attribute, element, kind, handler: resolved.fn, name: resolved.name ?? attr, component: outermostFunction(ctx, attribute) };
}

/** `form`, `button`, `input` for intrinsic elements; undefined for components. */
export function intrinsicTag(ctx: RuleContext, element: ts.JsxOpeningLikeElement): string | undefined {
  const tag = element.tagName;
  return ctx.ts.isIdentifier(tag) && /^[a-z]/.test(tag.text) ? tag.text : undefined;
}

/** The string value of a JSX attribute written as a literal (`type="submit"`). */
export function literalAttribute(ctx: RuleContext, element: ts.JsxOpeningLikeElement, name: string): string | undefined {
  const { ts } = ctx;
  for (const p of element.attributes.properties) {
    if (!ts.isJsxAttribute(p) || !ts.isIdentifier(p.name) || p.name.text !== name) continue;
    const init = p.initializer;
    if (init && ts.isStringLiteral(init)) return init.text;
    if (init && ts.isJsxExpression(init) && init.expression && ts.isStringLiteralLike(init.expression)) return init.expression.text;
    return undefined;
  }
  return undefined;
}

function isSubmitInput(ctx: RuleContext, element: ts.JsxOpeningLikeElement): boolean {
  return literalAttribute(ctx, element, 'type') === 'submit';
}

function resolveHandler(ctx: RuleContext, expr: ts.Expression): { fn: ts.FunctionLikeDeclaration; name?: string } | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    // `() => save(item.id)`: the work happens in the function it calls.
    const delegated = delegatedCall(ctx, e);
    if (delegated && !(ts.getCombinedModifierFlags(e) & ts.ModifierFlags.Async)) {
      const inner = functionOfIdentifier(ctx, delegated);
      if (inner) return { fn: inner, name: delegated.text };
    }
    return { fn: e };
  }
  if (ts.isIdentifier(e)) {
    const fn = functionOfIdentifier(ctx, e);
    return fn ? { fn, name: e.text } : undefined;
  }
  return undefined;
}

/** The identifier an inline arrow only calls: `() => save(x)` or `() => { void save(x); }`. */
function delegatedCall(ctx: RuleContext, fn: ts.ArrowFunction | ts.FunctionExpression): ts.Identifier | undefined {
  const { ts } = ctx;
  let body: ts.Node = fn.body;
  if (ts.isBlock(body)) {
    if (body.statements.length !== 1 || !ts.isExpressionStatement(body.statements[0])) return undefined;
    body = body.statements[0].expression;
  }
  let e = skipOuter(ts, body as ts.Expression);
  if (ts.isVoidExpression(e)) e = skipOuter(ts, e.expression);
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) ? e.expression : undefined;
}

function functionOfIdentifier(ctx: RuleContext, id: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
  const { ts } = ctx;
  const decl = ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!decl || decl.getSourceFile() !== ctx.sourceFile) return undefined;
  if (ts.isFunctionDeclaration(decl) && decl.body) return decl;
  if (!ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  let init = skipOuter(ts, decl.initializer);
  // useCallback(async (e) => { … }, [deps])
  if (ts.isCallExpression(init) && init.arguments[0] && isUseCallback(ctx, init)) init = skipOuter(ts, init.arguments[0]);
  return ts.isArrowFunction(init) || ts.isFunctionExpression(init) ? init : undefined;
}

function isUseCallback(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name === 'useCallback' && reactOrigin(ctx, callee);
}

/** The value comes from the `react` package (by its declaration, or by the import in plain JS). */
export function reactOrigin(ctx: RuleContext, callee: ts.Expression): boolean {
  const { ts } = ctx;
  const c = skipOuter(ts, callee);
  const nameNode = ts.isPropertyAccessExpression(c) ? c.name : ts.isIdentifier(c) ? c : undefined;
  if (!nameNode) return false;
  let symbol = ctx.checker.getSymbolAtLocation(nameNode);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
  if (file) return /\/node_modules\/(@types\/)?react\//.test(file);
  return false;
}

function outermostFunction(ctx: RuleContext, node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  const { ts } = ctx;
  let found: ts.FunctionLikeDeclaration | undefined;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n)) found = n;
    if (ts.isClassLike(n)) break;
  }
  return found;
}
