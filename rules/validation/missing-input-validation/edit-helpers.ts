// Text-editing helpers for the fix: non-overlapping edits collected per file, fresh
// identifier names, an import added once (reusing the one the file has), and a
// dependency added to package.json keeping its formatting (jsonc-parser).
import { modify } from 'jsonc-parser';
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../../api';
import type { ImportSpec } from './schema-text';

export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** Edits to one file; insertions at the same offset are kept in the order given. */
export class TextEdits {
  private readonly edits: { start: number; end: number; text: string }[] = [];

  constructor(private readonly source: string) {}

  insert(at: number, text: string): void {
    const same = this.edits.find((e) => e.start === at && e.end === at);
    if (same) same.text += text;
    else this.edits.push({ start: at, end: at, text });
  }

  /** Replaces a range; the same range replaced twice keeps the first replacement. */
  replace(start: number, end: number, text: string): void {
    if (this.edits.some((e) => e.start === start && e.end === end && start !== end)) return;
    this.edits.push({ start, end, text });
  }

  /** Removes the edits inside [start, end) and returns that range's text with them applied. */
  takeWithin(start: number, end: number): string {
    const inside = this.edits.filter((e) => e.start >= start && e.end <= end);
    for (const e of inside) this.edits.splice(this.edits.indexOf(e), 1);
    let out = this.source.slice(start, end);
    for (const e of [...inside].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start - start) + e.text + out.slice(e.end - start);
    return out;
  }

  /** The edits, with the file's own line endings. */
  toFileEdits(fileName: string): FileEdit[] {
    const crlf = this.source.includes('\r\n');
    return this.edits.map((e) => ({ fileName, start: e.start, end: e.end, newText: crlf ? e.text.replace(/\r?\n/g, '\r\n') : e.text }));
  }
}

/**
 * Fresh names: a module-level name must not be used anywhere in the file (so it
 * shadows nothing and nothing shadows it); a local one only within the function and
 * the scopes it sees.
 */
export class Namer {
  private readonly fileNames: Set<string>;
  private readonly localNames: Set<string>;

  constructor(ctx: RuleContext, fn: ts.FunctionLikeDeclaration) {
    this.fileNames = bindingNames(ctx.ts, ctx.sourceFile);
    this.localNames = bindingNames(ctx.ts, fn);
    const at = fn.body && ctx.ts.isBlock(fn.body) && fn.body.statements[0] ? fn.body.statements[0] : fn.body ?? fn;
    for (const s of ctx.checker.getSymbolsInScope(at, ctx.ts.SymbolFlags.Value | ctx.ts.SymbolFlags.Alias)) this.localNames.add(s.name);
  }

  module(wanted: string): string {
    const name = pick(wanted, (n) => this.fileNames.has(n));
    this.fileNames.add(name);
    this.localNames.add(name);
    return name;
  }

  local(wanted: string): string {
    const name = pick(wanted, (n) => this.localNames.has(n));
    this.localNames.add(name);
    return name;
  }
}

function pick(wanted: string, taken: (n: string) => boolean): string {
  let name = wanted;
  for (let i = 2; taken(name); i++) name = `${wanted}${i}`;
  return name;
}

/** Identifiers that name or reference bindings (not property names). */
function bindingNames(ts: RuleContext['ts'], root: ts.Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isEnumMember(p)) && p.name === n) ||
        (ts.isBindingElement(p) && p.propertyName === n) ||
        (ts.isImportSpecifier(p) && p.propertyName === n) ||
        ts.isQualifiedName(p);
      if (!isPropertyName) out.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}

/**
 * The local name `spec` is reachable under in the file, adding the import (or, in a
 * CommonJS file, the `require`) when the file has none.
 */
export function ensureImport(ctx: RuleContext, spec: ImportSpec, edits: TextEdits, preferRequire: boolean): string {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const wanted = spec.named ?? spec.defaultName ?? spec.namespace!;
  let lastImport: ts.Statement | undefined;
  let lastRequire: ts.Statement | undefined;
  let namedImports: ts.NamedImports | undefined;
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      lastImport = stmt;
      if (!ts.isStringLiteral(stmt.moduleSpecifier) || stmt.moduleSpecifier.text !== spec.module) continue;
      const clause = stmt.importClause;
      if (!clause || clause.isTypeOnly) continue;
      if (spec.defaultName && clause.name) return clause.name.text;
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings) && (spec.namespace || spec.defaultName || spec.named === 'z')) return bindings.name.text;
      if (bindings && ts.isNamedImports(bindings) && spec.named) {
        const found = bindings.elements.find((e) => !e.isTypeOnly && (e.propertyName ?? e.name).text === spec.named);
        if (found) return found.name.text;
        namedImports = bindings;
      }
    } else if (ts.isVariableStatement(stmt) && stmt.declarationList.declarations.some((d) => d.initializer && isRequireOf(ts, d.initializer))) {
      lastRequire = stmt;
      for (const d of stmt.declarationList.declarations) {
        if (!d.initializer || !isRequireOf(ts, d.initializer, spec.module)) continue;
        if (ts.isIdentifier(d.name) && !spec.named) return d.name.text;
        if (ts.isObjectBindingPattern(d.name) && spec.named) {
          const el = d.name.elements.find((e) => ((e.propertyName ?? e.name) as ts.Identifier).text === spec.named);
          if (el && ts.isIdentifier(el.name)) return el.name.text;
        }
      }
    }
  }
  if (namedImports && namedImports.elements.length) {
    edits.insert(namedImports.elements[namedImports.elements.length - 1].getEnd(), `, ${wanted}`);
    return wanted;
  }
  const useRequire = preferRequire && !lastImport && !!lastRequire;
  const line = useRequire
    ? `const ${spec.named ? `{ ${wanted} }` : wanted} = require('${spec.module}');`
    : `import ${spec.named ? `{ ${wanted} }` : spec.defaultName ? wanted : `* as ${wanted}`} from '${spec.module}';`;
  const after = useRequire ? lastRequire : lastImport;
  if (after) edits.insert(after.getEnd(), `\n${line}`);
  else {
    const first = sf.statements[0];
    edits.insert(first ? lineStart(sf.text, first.getStart()) : 0, `${line}\n\n`);
  }
  return wanted;
}

function isRequireOf(ts: RuleContext['ts'], e: ts.Expression, module?: string): boolean {
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 && ts.isStringLiteral(e.arguments[0]) && (!module || e.arguments[0].text === module);
}

/** Adds `"name": "range"` to the nearest package.json's dependencies, in its own formatting. */
export function addDependencyEdits(ctx: RuleContext, name: string, range: string): FileEdit[] {
  const pkg = ctx.project.packageJson(ctx.fileName);
  const text = pkg && ctx.project.readFile(pkg.path);
  if (!pkg || text === undefined || name in pkg.allDependencies) return [];
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const edits = modify(text, ['dependencies', name], range, {
    formattingOptions: { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' },
    // Keep an alphabetically sorted list sorted.
    getInsertionIndex: (keys) => {
      const i = keys.findIndex((k) => k.localeCompare(name) > 0);
      return i === -1 ? keys.length : i;
    },
  });
  return edits.map((e) => ({ fileName: pkg.path, start: e.offset, end: e.offset + e.length, newText: e.content }));
}
