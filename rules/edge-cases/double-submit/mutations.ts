// Which awaited calls change something on a server: an outgoing POST/PUT/PATCH/DELETE
// (outbound-http decides the client and method), a Next.js server action (a function
// from a 'use server' module or with the directive in its body), a react-query
// `mutateAsync` or an SWR mutation `trigger` — and project functions that make one of
// these, followed a couple of calls deep.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, skipOuter } from '../../shared/callee';
import { outboundCall } from '../../shared/outbound-http';

const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_DEPTH = 2;
const PROMISE_CHAIN = new Set(['then', 'catch', 'finally']);

export interface Mutation {
  readonly await: ts.AwaitExpression;
  /** How the message names it: "`fetch` (POST)", "the server action `createOrder`". */
  readonly what: string;
}

/** The first `await` of a mutation in `fn`'s own body (not in nested functions), in source order. */
export function firstAwaitedMutation(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): Mutation | undefined {
  const { ts } = ctx;
  let found: Mutation | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node)) {
      const what = mutationOf(ctx, node.expression, 0, new Set());
      if (what) {
        found = { await: node, what };
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return found;
}

function mutationOf(ctx: RuleContext, expr: ts.Expression, depth: number, seen: Set<ts.Node>): string | undefined {
  const { ts } = ctx;
  let e = skipOuter(ts, expr);
  // fetch(…).then(r => r.json()): the request is the receiver of the chain.
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && PROMISE_CHAIN.has(e.expression.name.text)) e = skipOuter(ts, e.expression.expression);
  if (!ts.isCallExpression(e)) return undefined;
  const out = outboundCall(ctx, e);
  if (out) return out.method && MUTATING_METHODS.has(out.method) ? `\`${shortLabel(ctx, e.expression)}\` (${out.method})` : undefined;
  const origin = originOf(ctx, e.expression);
  if (origin && isLibraryMutation(origin.module, origin.members)) return `\`${shortLabel(ctx, e.expression)}\``;
  const fn = projectFunction(ctx, e.expression);
  if (!fn || seen.has(fn)) return undefined;
  seen.add(fn);
  const name = shortLabel(ctx, e.expression);
  if (isServerAction(ctx, fn)) return `the server action \`${name}\``;
  if (depth >= MAX_DEPTH) return undefined;
  const inner = containsMutation(ctx, fn, depth + 1, seen);
  return inner ? `\`${name}\`, which sends ${inner}` : undefined;
}

/** react-query's `mutateAsync`, SWR's mutation `trigger`. */
function isLibraryMutation(module: string, members: readonly string[]): boolean {
  const last = members[members.length - 1];
  if (module === '@tanstack/react-query' || module === 'react-query') return last === 'mutateAsync';
  if (module === 'swr') return last === 'trigger';
  return false;
}

/** A mutation made anywhere in `fn` (awaited, returned or not), for helpers like `createOrder(body)`. */
function containsMutation(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, depth: number, seen: Set<ts.Node>): string | undefined {
  const { ts } = ctx;
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) found = mutationOf(ctx, node, depth, seen);
    if (!found) ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** The project function (or method) a callee refers to, with a body we can read. */
function projectFunction(ctx: RuleContext, callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  const { ts } = ctx;
  const c = skipOuter(ts, callee);
  const nameNode = ts.isPropertyAccessExpression(c) ? c.name : ts.isIdentifier(c) ? c : undefined;
  if (!nameNode) return undefined;
  let symbol = ctx.checker.getSymbolAtLocation(nameNode);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl || decl.getSourceFile().isDeclarationFile || decl.getSourceFile().fileName.includes('/node_modules/')) return undefined;
  if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.body) return decl;
  if ((ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl)) && decl.initializer) {
    const init = skipOuter(ts, decl.initializer);
    if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && init.body) return init;
  }
  return undefined;
}

function isServerAction(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): boolean {
  return hasUseServer(ctx, fn.getSourceFile().statements) || (!!fn.body && ctx.ts.isBlock(fn.body) && hasUseServer(ctx, fn.body.statements));
}

/** A 'use server' directive in the prologue of these statements. */
function hasUseServer(ctx: RuleContext, statements: readonly ts.Statement[]): boolean {
  const { ts } = ctx;
  for (const s of statements) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) return false;
    if (s.expression.text === 'use server') return true;
  }
  return false;
}

function shortLabel(ctx: RuleContext, callee: ts.Expression): string {
  // getText() without the file: the callee may sit in another module (a helper's request).
  const text = callee.getText().replace(/\s+/g, '');
  return text.length <= 40 ? text : ctx.ts.isPropertyAccessExpression(callee) ? callee.name.text : 'the call';
}
