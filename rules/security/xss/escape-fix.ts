// Fixes for xss: wrap each untrusted substitution of an HTML template in escape-html
// (only where it lands in element text, only when the project depends on escape-html,
// importing it once), or write a plain value with `textContent` instead of `innerHTML`.
import type { ts } from 'ts-morph';
import type { Fix, FileEdit, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';

const PACKAGE = 'escape-html';

/** `res.send(\`<p>${name}</p>\`)` → `res.send(\`<p>${escapeHtml(name)}</p>\`)`. */
export function escapeHtmlFix(ctx: RuleContext, value: ts.Expression, isTainted: (e: ts.Expression) => boolean): Fix | undefined {
  const { ts } = ctx;
  const template = skipOuter(ts, value);
  if (!ts.isTemplateExpression(template) || !ctx.project.hasDependency(ctx.fileName, PACKAGE)) return undefined;
  let before = template.head.text;
  const wrap: ts.Expression[] = [];
  for (const span of template.templateSpans) {
    if (isTainted(span.expression)) {
      if (!inElementText(before)) return undefined;
      wrap.push(span.expression);
    }
    before += `\u0000${span.literal.text}`;
  }
  if (wrap.length === 0) return undefined;
  const imported = importedName(ctx);
  if (!imported && fileMentions(ctx, 'escapeHtml')) return undefined;
  const name = imported ?? 'escapeHtml';
  const edits: FileEdit[] = wrap.flatMap((e) => [
    { fileName: ctx.fileName, start: e.getStart(), end: e.getStart(), newText: `${name}(` },
    { fileName: ctx.fileName, start: e.end, end: e.end, newText: ')' },
  ]);
  if (!imported) edits.unshift(importEdit(ctx, name));
  return { title: `Escape ${wrap.map((e) => `\`${e.getText()}\``).join(', ')} with escape-html`, isPreferred: true, safe: true, edits };
}

/** `el.innerHTML = text` → `el.textContent = text` (not safe: markup the value was meant to carry is shown as text). */
export function textContentFix(ctx: RuleContext, assign: ts.BinaryExpression): Fix {
  const name = (assign.left as ts.PropertyAccessExpression).name;
  return { title: 'Set `textContent` instead of `innerHTML`', safe: false, edits: [{ fileName: ctx.fileName, start: name.getStart(), end: name.end, newText: 'textContent' }] };
}

/** The text before the substitution leaves it in element content (not in a tag, a script or a style). */
function inElementText(before: string): boolean {
  const lower = before.toLowerCase();
  if (lower.lastIndexOf('<') > lower.lastIndexOf('>')) return false;
  for (const raw of ['script', 'style']) if (lower.lastIndexOf(`<${raw}`) > lower.lastIndexOf(`</${raw}`)) return false;
  return true;
}

/** The local name escape-html is already imported or required as. */
function importedName(ctx: RuleContext): string | undefined {
  const { ts } = ctx;
  for (const s of ctx.sourceFile.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === PACKAGE && s.importClause?.name) return s.importClause.name.text;
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer && requiredModule(ctx, d.initializer) === PACKAGE) return d.name.text;
    }
  }
  return undefined;
}

function requiredModule(ctx: RuleContext, e: ts.Expression): string | undefined {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  return ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'require' && x.arguments[0] && ts.isStringLiteral(x.arguments[0]) ? x.arguments[0].text : undefined;
}

function fileMentions(ctx: RuleContext, name: string): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return found;
}

/** After the last import (ES modules) or the last top-level `require` (CommonJS); at the top otherwise. */
function importEdit(ctx: RuleContext, name: string): FileEdit {
  const { ts } = ctx;
  const statements = ctx.sourceFile.statements;
  const imports = statements.filter(ts.isImportDeclaration);
  const requires = statements.filter((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => d.initializer && requiredModule(ctx, d.initializer)));
  const esm = imports.length > 0 || !ctx.fileName.match(/\.c?js$/) || requires.length === 0;
  const line = esm ? `import ${name} from '${PACKAGE}';` : `const ${name} = require('${PACKAGE}');`;
  const after = esm ? imports[imports.length - 1] : requires[requires.length - 1];
  if (after) return { fileName: ctx.fileName, start: after.end, end: after.end, newText: `\n${line}` };
  const first = statements[0];
  const at = first ? first.getStart() : 0;
  return { fileName: ctx.fileName, start: at, end: at, newText: `${line}\n` };
}
