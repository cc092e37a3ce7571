// Whether a submit handler is protected against a second click while its mutation runs:
// a flag the handler sets before the request (a useState value, a ref, a variable) that an
// early `return` checks or that disables / hides the button, or a library's pending state
// (useTransition, useFormStatus, react-query/SWR, react-hook-form) used the same way.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import type { SubmitHandler } from './handlers';
import { reactOrigin } from './handlers';

/** Props through which a component or element stops taking clicks. */
const DISABLING_PROPS = new Set(['disabled', 'isDisabled', 'loading', 'isLoading', 'pending', 'isPending', 'busy', 'inert']);
/** A library hook's in-flight state, named as react, react-query, SWR and react-hook-form name it. */
const PENDING_NAME = /pending|submitting|loading|mutating|busy|saving|inflight|in_flight|processing/i;
const STATE_HOOKS = new Set(['useState', 'useReducer']);

export function hasPendingGuard(ctx: RuleContext, h: SubmitHandler, before: ts.Node): boolean {
  const flags = flagsSetBefore(ctx, h.handler, before.getStart(ctx.sourceFile));
  const guards = (expr: ts.Node): boolean => references(ctx, expr, flags);
  return earlyReturnOn(ctx, h.handler, before, guards) || disablesOrHides(ctx, h.component ?? ctx.sourceFile, guards);
}

/** Symbols of the flags the handler sets before `limit`: useState values (through their setter), refs, variables. */
function flagsSetBefore(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, limit: number): Set<ts.Symbol> {
  const { ts } = ctx;
  const flags = new Set<ts.Symbol>();
  const visit = (node: ts.Node): void => {
    if (node.getStart(ctx.sourceFile) >= limit) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && !isFalse(ctx, node.arguments[0])) {
      const value = stateOfSetter(ctx, node.expression);
      if (value) flags.add(value);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !isFalse(ctx, node.right)) {
      let target = skipOuter(ts, node.left);
      // busy.current = true
      if (ts.isPropertyAccessExpression(target) && target.name.text === 'current') target = skipOuter(ts, target.expression);
      if (ts.isIdentifier(target)) {
        const symbol = ctx.checker.getSymbolAtLocation(target);
        if (symbol) flags.add(symbol);
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return flags;
}

function isFalse(ctx: RuleContext, e: ts.Expression | undefined): boolean {
  return !!e && skipOuter(ctx.ts, e).kind === ctx.ts.SyntaxKind.FalseKeyword;
}

/** `setSubmitting` of `const [submitting, setSubmitting] = useState(…)` → the symbol of `submitting`. */
function stateOfSetter(ctx: RuleContext, setter: ts.Identifier): ts.Symbol | undefined {
  const { ts } = ctx;
  const decl = ctx.checker.getSymbolAtLocation(setter)?.valueDeclaration;
  if (!decl || !ts.isBindingElement(decl) || !ts.isArrayBindingPattern(decl.parent)) return undefined;
  const pattern = decl.parent;
  if (pattern.elements.indexOf(decl) !== 1) return undefined;
  const holder = pattern.parent;
  if (!ts.isVariableDeclaration(holder) || !holder.initializer || !isHookCall(ctx, holder.initializer, STATE_HOOKS)) return undefined;
  const first = pattern.elements[0];
  return first && ts.isBindingElement(first) && ts.isIdentifier(first.name) ? ctx.checker.getSymbolAtLocation(first.name) : undefined;
}

function isHookCall(ctx: RuleContext, e: ts.Expression, names: ReadonlySet<string>): boolean {
  const { ts } = ctx;
  const call = skipOuter(ts, e);
  if (!ts.isCallExpression(call)) return false;
  const callee = skipOuter(ts, call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return !!name && names.has(name) && reactOrigin(ctx, callee);
}

/** True when `expr` reads one of the flags, or a library hook's pending state. */
function references(ctx: RuleContext, expr: ts.Node, flags: ReadonlySet<ts.Symbol>): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node)) {
      const symbol = ctx.checker.getSymbolAtLocation(node);
      if (symbol && (flags.has(symbol) || (PENDING_NAME.test(node.text) && fromCustomHook(ctx, symbol)))) found = true;
    } else if (ts.isPropertyAccessExpression(node) && PENDING_NAME.test(node.name.text)) {
      // mutation.isPending, form.formState.isSubmitting
      let root: ts.Expression = node.expression;
      while (ts.isPropertyAccessExpression(root)) root = root.expression;
      const symbol = ts.isIdentifier(root) ? ctx.checker.getSymbolAtLocation(root) : undefined;
      if (symbol && fromCustomHook(ctx, symbol)) found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/** A value destructured from or returned by a hook call (`useMutation()`, `useTransition()`, `useFormStatus()`), not useState/useRef. */
function fromCustomHook(ctx: RuleContext, symbol: ts.Symbol): boolean {
  const { ts } = ctx;
  let n: ts.Node | undefined = symbol.valueDeclaration;
  while (n && (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n))) n = n.parent;
  if (!n || !ts.isVariableDeclaration(n) || !n.initializer) return false;
  const init = skipOuter(ts, n.initializer);
  if (!ts.isCallExpression(init)) return false;
  const callee = skipOuter(ts, init.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return /^use[A-Z]/.test(name) && !['useState', 'useReducer', 'useRef', 'useMemo', 'useCallback', 'useContext'].includes(name);
}

/** `if (submitting) return;` before the mutation, in the handler's own body. */
function earlyReturnOn(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, before: ts.Node, guards: (e: ts.Node) => boolean): boolean {
  const { ts } = ctx;
  const limit = before.getStart(ctx.sourceFile);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || node.getStart(ctx.sourceFile) >= limit) return;
    if (ts.isIfStatement(node) && exits(ctx, node.thenStatement) && guards(node.expression)) found = true;
    else ts.forEachChild(node, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return found;
}

function exits(ctx: RuleContext, s: ts.Statement): boolean {
  const { ts } = ctx;
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
  return ts.isBlock(s) && s.statements.some((x) => ts.isReturnStatement(x) || ts.isThrowStatement(x));
}

/** `disabled={submitting}` (or `loading`, `<fieldset disabled>`), or `{submitting ? <Spinner /> : <button>…}` in the component. */
function disablesOrHides(ctx: RuleContext, scope: ts.Node, guards: (e: ts.Node) => boolean): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isJsxAttribute(node) && ts.isIdentifier(node.name) && DISABLING_PROPS.has(node.name.text) && node.initializer && ts.isJsxExpression(node.initializer) && node.initializer.expression) {
      found = guards(node.initializer.expression);
    } else if (ts.isJsxExpression(node) && node.expression && rendersConditionally(ctx, node.expression, guards)) {
      found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

function rendersConditionally(ctx: RuleContext, expr: ts.Expression, guards: (e: ts.Node) => boolean): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isConditionalExpression(e)) return (rendersButton(ctx, e.whenTrue) || rendersButton(ctx, e.whenFalse)) && guards(e.condition);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return rendersButton(ctx, e.right) && guards(e.left);
  }
  return false;
}

/** JSX that renders a <button> or <input>: hiding it while pending removes the second click. */
function rendersButton(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && ts.isIdentifier(node.tagName) && ['button', 'input'].includes(node.tagName.text)) found = true;
    else ts.forEachChild(node, visit);
  };
  const e = skipOuter(ts, expr);
  if (ts.isJsxElement(e) || ts.isJsxSelfClosingElement(e) || ts.isJsxFragment(e)) visit(e);
  return found;
}
