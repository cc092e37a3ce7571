// The project's own functions a call reaches (in any file of the program, resolved by
// the type checker), and what they return: how data crosses function boundaries.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { calleeNameNode, packageOfFile, skipOuter } from '../shared/callee';

export type ProjectFunction = ts.FunctionLikeDeclaration & { readonly body: ts.Node };

const calleeCache = new WeakMap<ts.Program, WeakMap<ts.Node, ProjectFunction | null>>();

/** The body of the project function or method a call's callee refers to; undefined for library code. */
export function projectFunctionOf(ctx: RuleContext, call: ts.CallExpression): ProjectFunction | undefined {
  let byCall = calleeCache.get(ctx.program);
  if (!byCall) calleeCache.set(ctx.program, (byCall = new WeakMap()));
  const cached = byCall.get(call);
  if (cached !== undefined) return cached ?? undefined;
  const found = resolve(ctx, call.expression) ?? null;
  byCall.set(call, found);
  return found ?? undefined;
}

function resolve(ctx: RuleContext, callee: ts.Expression): ProjectFunction | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, callee);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e as ProjectFunction;
  // Callees on call results (`User.find().where(…)`) are library chains: skip the checker.
  let root = e;
  while (ts.isPropertyAccessExpression(root)) root = skipOuter(ts, root.expression);
  if (!ts.isIdentifier(root) && root.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const nameNode = calleeNameNode(ts, e);
  let symbol = nameNode && ctx.checker.getSymbolAtLocation(nameNode);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl) return undefined;
  const sf = decl.getSourceFile();
  if (sf.isDeclarationFile || packageOfFile(sf.fileName)) return undefined;
  if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.body) return decl as ProjectFunction;
  if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl)) && decl.initializer) {
    const init = skipOuter(ts, decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init as ProjectFunction;
  }
  return undefined;
}

/** What the function returns: its `return` expressions (not those of nested functions), or an arrow's expression body. */
export function returnedExpressions(ctx: RuleContext, fn: ProjectFunction): ts.Expression[] {
  const { ts } = ctx;
  if (!ts.isBlock(fn.body)) return [fn.body as ts.Expression];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n)) {
      if (n.expression) out.push(n.expression);
      return;
    }
    if (ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return out;
}

/** How to name a function in a message. */
export function functionName(ctx: RuleContext, fn: ts.SignatureDeclaration): string {
  const { ts } = ctx;
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const p = fn.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && ts.isIdentifier(p.name)) return p.name.text;
  return 'the callback';
}
