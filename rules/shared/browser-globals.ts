// Browser code tells itself apart by the globals a server has no use for: `window`,
// `document` and web storage, as TypeScript's own lib declares them (a project variable
// of the same name does not count).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { isLibFile } from './callee';

const BROWSER_GLOBALS = new Set(['window', 'document', 'localStorage', 'sessionStorage']);

export function readsBrowserGlobal(ctx: RuleContext): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && BROWSER_GLOBALS.has(n.text) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      const decl = ctx.checker.getSymbolAtLocation(n)?.declarations?.[0];
      if (decl && isLibFile(decl.getSourceFile().fileName)) found = true;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return found;
}
