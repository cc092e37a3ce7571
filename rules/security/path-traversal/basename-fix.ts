// The fix for a file name joined to a fixed directory: `path.join(UPLOADS, name)` or
// `${UPLOADS}/${name}` becomes `path.join(UPLOADS, path.basename(name))` — only the last
// segment is kept, so `../` cannot leave the directory. Not safe: a caller that meant
// to reach a subdirectory (`a/b.txt`) now gets `b.txt`.
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { flowsOf } from '../../taint';

/** The tainted part to wrap, when the path is a fixed directory plus that one value. */
export function basenameFix(ctx: RuleContext, arg: ts.Expression): Fix | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, arg);
  let tainted: ts.Expression | undefined;
  if (ts.isCallExpression(e)) {
    const target = resolveCall(ctx, e);
    if (target?.module !== 'path' || target.name !== 'join' || e.arguments.length < 2) return undefined;
    const [dir, ...rest] = e.arguments;
    if (hasSource(ctx, dir) || rest.length !== 1) return undefined;
    tainted = rest[0];
  } else if (ts.isTemplateExpression(e) && e.templateSpans.length === 2) {
    const [dir, name] = e.templateSpans;
    if (e.head.text !== '' || dir.literal.text !== '/' || name.literal.text !== '' || hasSource(ctx, dir.expression)) return undefined;
    tainted = name.expression;
  }
  if (!tainted || ts.isSpreadElement(tainted) || !hasSource(ctx, tainted)) return undefined;
  const access = pathAccess(ctx);
  if (!access) return undefined;
  const sf = ctx.sourceFile;
  return {
    title: `Keep only the file name of \`${tainted.getText(sf)}\` (\`${access.call}\`)`,
    isPreferred: true,
    safe: false,
    edits: [
      ...access.edits,
      { fileName: ctx.fileName, start: tainted.getStart(sf), end: tainted.getStart(sf), newText: `${access.call}(` },
      { fileName: ctx.fileName, start: tainted.getEnd(), end: tainted.getEnd(), newText: ')' },
    ],
  };
}

function hasSource(ctx: RuleContext, e: ts.Expression): boolean {
  return flowsOf(ctx, e).some((f) => f.origin.kind === 'source');
}

/** How this file can call path.basename: an existing `path`/`basename` import, or a namespace import added once. */
function pathAccess(ctx: RuleContext): { call: string; edits: FileEdit[] } | undefined {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  let lastImport: ts.ImportDeclaration | undefined;
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      lastImport = stmt;
      const spec = ts.isStringLiteral(stmt.moduleSpecifier) ? stmt.moduleSpecifier.text.replace(/^node:/, '') : '';
      const clause = stmt.importClause;
      if (spec !== 'path' || !clause || clause.isTypeOnly) continue;
      if (clause.name) return { call: `${clause.name.text}.basename`, edits: [] };
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) return { call: `${bindings.name.text}.basename`, edits: [] };
      const named = bindings && ts.isNamedImports(bindings) ? bindings.elements.find((el) => (el.propertyName ?? el.name).text === 'basename' && !el.isTypeOnly) : undefined;
      if (named) return { call: named.name.text, edits: [] };
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        const init = d.initializer && skipOuter(ts, d.initializer);
        const isPathRequire = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments.length === 1 && ts.isStringLiteral(init.arguments[0]) && init.arguments[0].text.replace(/^node:/, '') === 'path';
        if (isPathRequire && ts.isIdentifier(d.name)) return { call: `${d.name.text}.basename`, edits: [] };
      }
    }
  }
  // Add `import * as path from 'node:path'` after the imports, unless `path` already names something.
  if (!lastImport || nameInUse(ctx, 'path')) return undefined;
  return { call: 'path.basename', edits: [{ fileName: ctx.fileName, start: lastImport.getEnd(), end: lastImport.getEnd(), newText: `\nimport * as path from 'node:path';` }] };
}

function nameInUse(ctx: RuleContext, name: string): boolean {
  const { ts } = ctx;
  let used = false;
  const visit = (n: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(n) && n.text === name) used = true;
    else ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return used;
}
