// Controllers written in one file and routed in another (`router.post('/orders',
// orders.create)`): the functions of this file that could be such handlers. A cheap
// syntactic filter; `registrationsOf` then decides through the checker.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';

/**
 * Functions of this file that could be handlers routed elsewhere: module-level
 * functions, methods and function-valued properties whose body reads `.body`,
 * `.query` or `.params` of a parameter (a cheap syntactic filter before the
 * registration lookup decides).
 */
export function detachedCandidates(ctx: RuleContext): ts.FunctionLikeDeclaration[] {
  const { ts } = ctx;
  const out: ts.FunctionLikeDeclaration[] = [];
  const consider = (fn: ts.Node | undefined): void => {
    if (fn && (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.body && readsRequestParts(ctx, fn)) out.push(fn);
  };
  const members = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) for (const p of node.properties) consider(ts.isPropertyAssignment(p) ? skipParens(ts, p.initializer) : p);
    if (ts.isClassLike(node)) for (const m of node.members) consider(ts.isPropertyDeclaration(m) ? m.initializer && skipParens(ts, m.initializer) : m);
  };
  for (const stmt of ctx.sourceFile.statements) {
    if (ts.isFunctionDeclaration(stmt)) consider(stmt);
    else if (ts.isClassDeclaration(stmt)) members(stmt);
    else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        const init = d.initializer && skipParens(ts, d.initializer);
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) consider(init);
        else if (init) members(init);
      }
    } else if (ts.isExportAssignment(stmt)) members(skipParens(ts, stmt.expression));
    else if (ts.isExpressionStatement(stmt) && ts.isBinaryExpression(stmt.expression) && stmt.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // CommonJS: `exports.create = (req, res) => …`, `module.exports = { … }`.
      const right = skipParens(ts, stmt.expression.right);
      if (ts.isArrowFunction(right) || ts.isFunctionExpression(right)) consider(right);
      else members(right);
    }
  }
  return out;
}

function skipParens(ts: RuleContext['ts'], e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

function readsRequestParts(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  const params = new Set(fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  if (!params.size && !fn.parameters.some((p) => ts.isObjectBindingPattern(p.name))) return false;
  let found = fn.parameters.some((p) => ts.isObjectBindingPattern(p.name));
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && params.has(n.expression.text) && ['body', 'query', 'params'].includes(n.name.text)) found = true;
    else if (ts.isVariableDeclaration(n) && n.initializer && ts.isIdentifier(n.initializer) && params.has(n.initializer.text) && ts.isObjectBindingPattern(n.name)) found = true;
    else ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}
