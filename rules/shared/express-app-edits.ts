// Where a fix adds app-level code to an Express app (an error handler, a health route):
// before `app.listen(…)` in the file that creates the app, or after the last top-level
// statement there that uses it — so it lands after the routes registered in that file.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';

export interface AppInsertion {
  /** Offset to insert at. */
  readonly at: number;
  /** True when inserting before `listen` (the text ends with a blank line); false when after the last use. */
  readonly beforeListen: boolean;
  /** The statement the insertion is next to (for the project's logger lookup). */
  readonly anchor: ts.Statement;
}

export function appInsertion(ctx: RuleContext, holder: ts.Node, name: string): AppInsertion | undefined {
  const { ts } = ctx;
  if (holder.getSourceFile() !== ctx.sourceFile || !ts.isVariableDeclaration(holder)) return undefined;
  const statement = holder.parent.parent;
  if (!ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent)) return undefined;
  const uses = ctx.sourceFile.statements.filter((s) => s.pos > statement.pos && mentions(ts, s, name));
  const listen = uses.find((s) => ts.isExpressionStatement(s) && isListenCall(ts, s.expression));
  const anchor = listen ?? uses[uses.length - 1];
  if (!anchor) return undefined;
  return { at: listen ? anchor.getStart(ctx.sourceFile) : anchor.getEnd(), beforeListen: !!listen, anchor };
}

/** Places `block` (statements ending in a newline) at the insertion point with the blank lines around it. */
export function placed(insertion: AppInsertion, block: string): string {
  return insertion.beforeListen ? `${block}\n` : `\n\n${block.trimEnd()}`;
}

function mentions(ts: RuleContext['ts'], node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** `app.listen(…)`, possibly with a callback. */
function isListenCall(ts: RuleContext['ts'], e: ts.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'listen';
}

/** The local name of the file's default/namespace `express` import, for typing inserted handlers. */
export function expressNamespace(ctx: RuleContext): string | undefined {
  const { ts } = ctx;
  for (const s of ctx.sourceFile.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || s.moduleSpecifier.text !== 'express') continue;
    const clause = s.importClause;
    if (clause?.name) return clause.name.text;
    if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) return clause.namedBindings.name.text;
  }
  return undefined;
}
