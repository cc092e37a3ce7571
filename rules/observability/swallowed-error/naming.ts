// How findings and log lines name the code concerned: the enclosing function, method
// or route, or the call a promise chain starts from.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { enclosingHandler } from '../../shared/http';
import { isThenable } from './discarded';

const PROMISE_CHAIN_METHODS = new Set(['then', 'catch', 'finally']);
const MAX_NAME_LENGTH = 40;

export interface Context {
  /** The function or handler the code is in (`loadUser`, `UsersService.findOne`, `GET /users`). */
  readonly name?: string;
  /** The first call of the try block, when there is no enclosing function. */
  readonly call?: string;
  /** The message of the log call the fix adds ('loadUser failed'). */
  readonly logMessage: string;
}

export function describeContext(ctx: RuleContext, clause: ts.CatchClause): Context {
  const name = enclosingFunctionName(ctx, clause);
  if (name) return { name, logMessage: `${name} failed` };
  const call = firstCallName(ctx, clause.parent.tryBlock);
  return { call, logMessage: call ? `${call} failed` : 'operation failed' };
}

export function enclosingFunctionName(ctx: RuleContext, node: ts.Node): string | undefined {
  const { ts } = ctx;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    const name = functionName(ctx, n);
    if (name) return name;
    const handler = enclosingHandler(ctx, n);
    if (handler?.fn === n && handler.method && handler.path !== undefined) return `${handler.method.toUpperCase()} ${handler.path}`;
    // An anonymous callback (`items.forEach(...)`): name the function around it.
  }
  return undefined;
}

function functionName(ctx: RuleContext, fn: ts.SignatureDeclaration): string | undefined {
  const { ts } = ctx;
  const className = (cls: ts.Node) => (ts.isClassLike(cls) && cls.name ? `${cls.name.text}.` : '');
  if (ts.isConstructorDeclaration(fn)) return `${className(fn.parent).slice(0, -1) || 'class'} constructor`;
  if ((ts.isMethodDeclaration(fn) || ts.isGetAccessor(fn) || ts.isSetAccessor(fn)) && !ts.isComputedPropertyName(fn.name)) {
    return `${className(fn.parent)}${objectName(ctx, fn.parent)}${fn.name.getText(ctx.sourceFile)}`;
  }
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    const parent = fn.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (ts.isPropertyAssignment(parent) && !ts.isComputedPropertyName(parent.name)) return parent.name.getText(ctx.sourceFile);
    if (ts.isPropertyDeclaration(parent) && !ts.isComputedPropertyName(parent.name)) return `${className(parent.parent)}${parent.name.getText(ctx.sourceFile)}`;
  }
  return undefined;
}

/** `queue.` for a method of `const queue = { … }`. */
function objectName(ctx: RuleContext, node: ts.Node): string {
  const { ts } = ctx;
  return ts.isObjectLiteralExpression(node) && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? `${node.parent.name.text}.` : '';
}

function firstCallName(ctx: RuleContext, block: ts.Node): string | undefined {
  const { ts } = ctx;
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const text = shortText(ctx, node.expression);
      if (text) {
        found = text;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

/** Source text of a callee/receiver when it is short and on one line. */
export function shortText(ctx: RuleContext, node: ts.Node): string | undefined {
  const text = node.getText(ctx.sourceFile);
  return text.length <= MAX_NAME_LENGTH && !/[\n`]/.test(text) ? text : undefined;
}

/** The call a promise chain starts from: `fetchUser` in `fetchUser(id).then(f).catch(...)`. */
export function promiseOrigin(ctx: RuleContext, expr: ts.Expression): string | undefined {
  const { ts } = ctx;
  let e = skipOuter(ts, expr);
  while (ts.isCallExpression(e)) {
    const callee = skipOuter(ts, e.expression);
    if (ts.isPropertyAccessExpression(callee) && PROMISE_CHAIN_METHODS.has(callee.name.text) && isThenable(ctx, callee.expression)) {
      e = skipOuter(ts, callee.expression);
      continue;
    }
    return shortText(ctx, callee);
  }
  return shortText(ctx, e);
}
