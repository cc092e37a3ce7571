// What makes a catch block or a rejection handler discard the error, and what makes
// it a deliberate choice instead (a comment, a fallback, a promise awaited elsewhere).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, skipOuter } from '../../shared/callee';

/** Packages whose `noop` export is an empty function. */
const NOOP_MODULES = new Set(['lodash', 'lodash-es', 'underscore', 'rxjs', 'lodash/noop', 'lodash.noop']);

/** True when the block neither uses the error, nor leaves (throw/return/break/continue), nor calls anything, nor holds a comment. */
export function discardsError(ctx: RuleContext, clause: ts.CatchClause): boolean {
  const { ts } = ctx;
  const block = clause.block;
  if (hasComment(ctx, block)) return false;
  if (block.statements.length === 0) return true;
  const bound = new Set<ts.Symbol>();
  if (clause.variableDeclaration) collectBindings(ctx, clause.variableDeclaration.name, bound);
  // Only identifiers spelled like a binding can be one; the checker confirms it is not a shadow.
  const boundNames = new Set([...bound].map((s) => s.name));
  let handled = false;
  const visit = (node: ts.Node): void => {
    if (handled) return;
    if (
      ts.isCallExpression(node) ||
      ts.isNewExpression(node) ||
      ts.isTaggedTemplateExpression(node) ||
      ts.isAwaitExpression(node) ||
      ts.isYieldExpression(node) ||
      ts.isThrowStatement(node) ||
      ts.isReturnStatement(node) ||
      ts.isBreakStatement(node) ||
      ts.isContinueStatement(node) ||
      ts.isJsxElement(node) ||
      ts.isJsxSelfClosingElement(node)
    ) {
      handled = true;
      return;
    }
    if (ts.isIdentifier(node) && boundNames.has(node.text)) {
      const symbol = ctx.checker.getSymbolAtLocation(node);
      if (symbol && bound.has(symbol)) {
        handled = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return !handled && !assignsFallback(ctx, clause);
}

function collectBindings(ctx: RuleContext, name: ts.BindingName, out: Set<ts.Symbol>): void {
  const { ts } = ctx;
  if (ts.isIdentifier(name)) {
    const symbol = ctx.checker.getSymbolAtLocation(name);
    if (symbol) out.add(symbol);
    return;
  }
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) collectBindings(ctx, element.name, out);
}

/**
 * `try { config = JSON.parse(text) } catch { config = {} }`: the catch gives what the
 * try computes a fallback value, the same deliberate choice as `return null`.
 */
function assignsFallback(ctx: RuleContext, clause: ts.CatchClause): boolean {
  const tryStatement = clause.parent;
  const assignedInTry = new Set<ts.Symbol>();
  for (const target of assignmentTargets(ctx, tryStatement.tryBlock)) {
    const symbol = ctx.checker.getSymbolAtLocation(target);
    if (symbol) assignedInTry.add(symbol);
  }
  return assignmentTargets(ctx, clause.block).some((target) => {
    const symbol = ctx.checker.getSymbolAtLocation(target);
    return !!symbol && assignedInTry.has(symbol);
  });
}

/** The name nodes assigned in a block: `x` in `x = 1`, `cache` in `this.cache = {}`. */
function assignmentTargets(ctx: RuleContext, block: ts.Node): ts.Node[] {
  const { ts } = ctx;
  const out: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const left = skipOuter(ts, node.left);
      if (ts.isIdentifier(left)) out.push(left);
      else if (ts.isPropertyAccessExpression(left)) out.push(left.name);
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return out;
}

/** A comment inside the braces documents a deliberate choice ("ignore: the file may not exist"). */
export function hasComment(ctx: RuleContext, block: ts.Block): boolean {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  // Every comment in the block is in the trivia before some token after the `{`: on the
  // same line (what TypeScript calls trailing) or on lines of its own (leading).
  const hasCommentAt = (pos: number) => !!ts.getTrailingCommentRanges(sf.text, pos)?.length || !!ts.getLeadingCommentRanges(sf.text, pos)?.length;
  const visit = (node: ts.Node): boolean => (node !== block && node.kind !== ts.SyntaxKind.OpenBraceToken && hasCommentAt(node.pos)) || node.getChildren(sf).some(visit);
  return visit(block);
}

/**
 * `const p = work(); p.catch(() => {}); …; await p`: the empty handler only keeps the
 * rejection from being reported as unhandled while it is awaited elsewhere.
 */
export function settledElsewhere(ctx: RuleContext, call: ts.CallExpression, receiver: ts.Expression): boolean {
  const { ts } = ctx;
  const r = skipOuter(ts, receiver);
  if (!ts.isExpressionStatement(call.parent) || !ts.isIdentifier(r)) return false;
  const symbol = ctx.checker.getSymbolAtLocation(r);
  const decl = symbol?.valueDeclaration;
  if (!symbol || !decl || decl.getSourceFile() !== ctx.sourceFile) return false;
  let used = false;
  const visit = (node: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(node) && node !== r && node.text === r.text && node.parent !== decl && ctx.checker.getSymbolAtLocation(node) === symbol) used = true;
    else ts.forEachChild(node, visit);
  };
  let scope: ts.Node = decl;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isFunctionLike(scope)) scope = scope.parent;
  visit(scope);
  return used;
}

export type EmptyHandler = { readonly returns?: string; readonly param?: string };

/** `() => {}`, `() => undefined`, `function () {}`, `noop`: a handler that does nothing with the reason. */
export function emptyHandlerKind(ctx: RuleContext, handler: ts.Expression): EmptyHandler | undefined {
  const { ts } = ctx;
  const h = skipOuter(ts, handler);
  if (ts.isArrowFunction(h) || ts.isFunctionExpression(h)) {
    const param = h.parameters[0];
    const paramName = param && ts.isIdentifier(param.name) ? param.name.text : undefined;
    if (ts.isBlock(h.body)) return h.body.statements.length === 0 && !hasComment(ctx, h.body) ? { param: paramName } : undefined;
    const body = skipOuter(ts, h.body);
    if (isUndefinedValue(ctx, body)) return { param: paramName, returns: body.getText(ctx.sourceFile) };
    return undefined;
  }
  if (ts.isIdentifier(h) || ts.isPropertyAccessExpression(h)) return isNoop(ctx, h) ? {} : undefined;
  return undefined;
}

function isUndefinedValue(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isVoidExpression(e)) return ts.isLiteralExpression(skipOuter(ts, e.expression));
  if (!ts.isIdentifier(e) || e.text !== 'undefined') return false;
  // The global `undefined`, not a local that happens to be called so.
  const decl = ctx.checker.getSymbolAtLocation(e)?.declarations?.[0];
  return !decl || decl.getSourceFile().isDeclarationFile;
}

function isNoop(ctx: RuleContext, e: ts.Identifier | ts.PropertyAccessExpression): boolean {
  const { ts } = ctx;
  const origin = originOf(ctx, e);
  if (origin && !origin.instance && NOOP_MODULES.has(origin.module)) {
    const path = [...origin.exportPath, ...origin.members].filter((p) => p !== 'default');
    if ((path.length === 1 && path[0] === 'noop') || (path.length === 0 && /noop$/.test(origin.module))) return true;
  }
  if (!ts.isIdentifier(e)) return false;
  const decl = ctx.checker.getSymbolAtLocation(e)?.declarations?.[0];
  if (!decl || decl.getSourceFile() !== ctx.sourceFile) return false;
  if (ts.isFunctionDeclaration(decl)) return !!decl.body && decl.body.statements.length === 0 && !hasComment(ctx, decl.body);
  if (ts.isVariableDeclaration(decl) && decl.initializer && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0) {
    const init = skipOuter(ts, decl.initializer);
    return (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && !!emptyHandlerKind(ctx, init);
  }
  return false;
}

/** True when the value's type has a callable `then` (a Promise or another thenable); false when unknown. */
export function isThenable(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts, checker } = ctx;
  const type = checker.getNonNullableType(checker.getTypeAtLocation(expr));
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => {
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return false;
    const then = checker.getPropertyOfType(checker.getApparentType(t), 'then');
    return !!then && checker.getTypeOfSymbolAtLocation(then, expr).getCallSignatures().length > 0;
  });
}
