// Small text edits on TypeScript files that other files' findings need: adding a
// named import once, inserting a line above a declaration with its indentation,
// and matching the file's quote style.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../../api';

/** The quote the file's imports use. */
export function quoteOf(ctx: RuleContext, sf: ts.SourceFile): string {
  for (const s of sf.statements) {
    if (ctx.ts.isImportDeclaration(s)) return sf.text[s.moduleSpecifier.getStart(sf)] === '"' ? '"' : "'";
  }
  return "'";
}

export function quoted(quote: string, s: string): string {
  return `${quote}${s.replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`)}${quote}`;
}

/**
 * How `name` from `module` is spelled in the file, and the edit that imports it
 * when it is not yet: an added specifier in the existing import, else a new
 * import line. Undefined when another binding already takes the name.
 */
export function namedImport(ctx: RuleContext, sf: ts.SourceFile, module: string, name: string): { local: string; edit?: FileEdit } | undefined {
  const { ts } = ctx;
  let target: ts.NamedImports | undefined;
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || s.moduleSpecifier.text !== module) continue;
    const bindings = s.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) return { local: `${bindings.name.text}.${name}` };
    if (bindings && ts.isNamedImports(bindings) && !s.importClause?.isTypeOnly) {
      const found = bindings.elements.find((e) => (e.propertyName ?? e.name).text === name && !e.isTypeOnly);
      if (found) return { local: found.name.text };
      target ??= bindings;
    }
  }
  // Another import or declaration of the same name would clash.
  if (declaresTopLevel(ctx, sf, name)) return undefined;
  if (target) {
    const names = target.elements.map((e) => e.name.text);
    const sorted = names.every((n, i) => i === 0 || names[i - 1].localeCompare(n) <= 0);
    // Keep an alphabetical list alphabetical; otherwise append.
    const before = sorted ? target.elements.find((e) => e.name.text.localeCompare(name) > 0) : undefined;
    if (before) return { local: name, edit: { fileName: sf.fileName, start: before.getStart(sf), end: before.getStart(sf), newText: `${name}, ` } };
    const last = target.elements[target.elements.length - 1];
    const at = last ? last.getEnd() : target.getStart(sf) + 1;
    return { local: name, edit: { fileName: sf.fileName, start: at, end: at, newText: last ? `, ${name}` : ` ${name} ` } };
  }
  const imports = sf.statements.filter(ts.isImportDeclaration);
  const at = imports.length > 0 ? imports[imports.length - 1].getEnd() : 0;
  const line = `import { ${name} } from ${quoted(quoteOf(ctx, sf), module)};`;
  return { local: name, edit: { fileName: sf.fileName, start: at, end: at, newText: at === 0 ? `${line}\n` : `\n${line}` } };
}

function declaresTopLevel(ctx: RuleContext, sf: ts.SourceFile, name: string): boolean {
  const { ts } = ctx;
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s)) {
      const clause = s.importClause;
      if (clause?.name?.text === name) return true;
      const b = clause?.namedBindings;
      if (b && ts.isNamespaceImport(b) && b.name.text === name) return true;
      if (b && ts.isNamedImports(b) && b.elements.some((e) => e.name.text === name)) return true;
    } else if ((ts.isClassDeclaration(s) || ts.isFunctionDeclaration(s) || ts.isEnumDeclaration(s)) && s.name?.text === name) {
      return true;
    } else if (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) {
      return true;
    }
  }
  return false;
}

/** An edit that puts `line` on its own line above `node` (above its decorators), indented like it. */
export function lineAbove(sf: ts.SourceFile, node: ts.Node, line: string): FileEdit {
  const start = node.getStart(sf);
  const lineStart = sf.text.lastIndexOf('\n', start - 1) + 1;
  const before = sf.text.slice(lineStart, start);
  // Something else precedes it on its line: stay on that line.
  if (before.trim() !== '') return { fileName: sf.fileName, start, end: start, newText: `${line} ` };
  return { fileName: sf.fileName, start: lineStart, end: lineStart, newText: `${before}${line}\n` };
}
