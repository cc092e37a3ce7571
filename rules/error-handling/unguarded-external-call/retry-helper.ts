// Where the project's `withRetry` helper lives (an existing one is reused, a new one
// goes to `<package>/src/lib/` or beside the file), how the file under analysis
// imports it (relative path, `.js` extension for ESM, import or require), and the
// helper's text in the file's language.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../../api';
import { HELPER_BASENAME, HELPER_EXPORT, RETRY_HELPER_TS } from './retry-helper-source';

export interface HelperPlan {
  /** Creates the helper file, when the project has none yet. */
  readonly create?: FileEdit;
  /** Adds the import, when the file lacks it. */
  readonly importEdit?: FileEdit;
}

const TS_EXT = /\.(?:[cm]?ts|tsx)$/;

/** The edits that make `withRetry` callable in the file, or undefined when that cannot be done cleanly. */
export function planHelper(ctx: RuleContext): HelperPlan | undefined {
  const isTs = TS_EXT.test(ctx.fileName);
  const helperPath = existingHelper(ctx, isTs) ?? newHelperPath(ctx, isTs);
  const existingText = ctx.project.readFile(helperPath);
  if (existingText !== undefined && !exportsHelper(ctx, existingText)) return undefined;
  const spec = specifierFor(ctx, helperPath);
  const imported = importState(ctx, spec);
  if (imported === 'conflict') return undefined;
  const esm = usesEsmSyntax(ctx);
  return {
    create: existingText === undefined ? { fileName: helperPath, start: 0, end: 0, newText: helperText(ctx, isTs, esm), create: true } : undefined,
    importEdit: imported === 'present' ? undefined : importEdit(ctx, spec, esm),
  };
}

function dirOf(p: string): string {
  return p.slice(0, p.lastIndexOf('/'));
}

function extensionFor(ctx: RuleContext, isTs: boolean): string {
  if (isTs) return '.ts';
  const m = /\.[cm]?js$/.exec(ctx.fileName);
  return m ? m[0] : '.js';
}

/** A `with-retry` module of the same package that exports `withRetry`, nearest first. */
function existingHelper(ctx: RuleContext, isTs: boolean): string | undefined {
  const pkg = ctx.project.packageJson(ctx.fileName);
  const base = pkg ? dirOf(pkg.path) : ctx.project.root;
  const exts = isTs ? ['ts', 'mts', 'cts'] : ['js', 'mjs', 'cjs'];
  const found = ctx.project.findFiles(exts.map((e) => `**/${HELPER_BASENAME}.${e}`), base).filter((f) => {
    // A nested package is another project: its helper is not importable from here.
    if (ctx.project.packageJson(f)?.path !== pkg?.path) return false;
    const text = ctx.project.readFile(f);
    return text !== undefined && exportsHelper(ctx, text);
  });
  const here = dirOf(ctx.fileName);
  const shared = (f: string) => commonPrefixLength(dirOf(f).split('/'), here.split('/'));
  return found.sort((a, b) => shared(b) - shared(a) || a.length - b.length)[0];
}

function commonPrefixLength(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * `<package>/src/lib/with-retry.ts` for code under the package's src/ when that
 * folder exists, else beside the file: a new folder would leave the import
 * unresolved until the editor has written the file to disk.
 */
function newHelperPath(ctx: RuleContext, isTs: boolean): string {
  const pkg = ctx.project.packageJson(ctx.fileName);
  const src = pkg ? `${dirOf(pkg.path)}/src/` : undefined;
  const useLib = !!src && ctx.fileName.startsWith(src) && ctx.project.findFiles(['*'], `${src}lib`).length > 0;
  const dir = useLib ? `${src}lib` : dirOf(ctx.fileName);
  return `${dir}/${HELPER_BASENAME}${extensionFor(ctx, isTs)}`;
}

/** `export function withRetry` (TS/ESM) or `module.exports = { withRetry }` (CommonJS). */
function exportsHelper(ctx: RuleContext, text: string): boolean {
  const { ts } = ctx;
  const sf = ts.createSourceFile('helper.ts', text, ts.ScriptTarget.Latest, false);
  return sf.statements.some((s) => {
    if (ts.isFunctionDeclaration(s)) return s.name?.text === HELPER_EXPORT && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression)) return false;
    const { left, right } = s.expression;
    return (
      left.getText(sf) === 'module.exports' &&
      ts.isObjectLiteralExpression(right) &&
      right.properties.some((p) => (ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p)) && p.name.getText(sf) === HELPER_EXPORT)
    );
  });
}

function relativePath(fromDir: string, to: string): string {
  const a = fromDir.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  const common = commonPrefixLength(a, b.slice(0, -1));
  const ups = a.length - common;
  const rel = [...Array<string>(ups).fill('..'), ...b.slice(common)].join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The module specifier, with the extension Node's ESM resolution (and TypeScript's nodenext) requires. */
function specifierFor(ctx: RuleContext, helperPath: string): string {
  const rel = relativePath(dirOf(ctx.fileName), helperPath);
  const withoutExt = rel.replace(/\.[cm]?[jt]s$/, '');
  if (!needsExtension(ctx)) return withoutExt;
  const ext = /\.([cm]?)[jt]s$/.exec(helperPath)?.[1] ?? '';
  return `${withoutExt}.${ext}js`;
}

function needsExtension(ctx: RuleContext): boolean {
  const { ts } = ctx;
  const relativeSpecs = ctx.sourceFile.statements.flatMap((s) =>
    ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text.startsWith('.') ? [s.moduleSpecifier.text] : [],
  );
  // Follow the file's own habit first.
  if (relativeSpecs.length > 0) return relativeSpecs.some((s) => /\.[cm]?js$/.test(s));
  const isEsm = ctx.sourceFile.impliedNodeFormat === ts.ModuleKind.ESNext || /\.m[jt]s$/.test(ctx.fileName);
  if (!isEsm) return false;
  if (!TS_EXT.test(ctx.fileName)) return true;
  const resolution = ctx.program.getCompilerOptions().moduleResolution;
  return resolution === ts.ModuleResolutionKind.Node16 || resolution === ts.ModuleResolutionKind.NodeNext;
}

/** TypeScript files, and JS files that already import, use import syntax; others use require. */
function usesEsmSyntax(ctx: RuleContext): boolean {
  const { ts } = ctx;
  if (TS_EXT.test(ctx.fileName) || /\.mjs$/.test(ctx.fileName)) return true;
  if (ctx.sourceFile.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s))) return true;
  return ctx.sourceFile.impliedNodeFormat === ts.ModuleKind.ESNext && !ctx.sourceFile.statements.some((s) => isRequireStatement(ctx, s));
}

function isRequireStatement(ctx: RuleContext, s: ts.Statement): boolean {
  const { ts } = ctx;
  if (!ts.isVariableStatement(s)) return false;
  return s.declarationList.declarations.some((d) => {
    const init = d.initializer;
    return !!init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require';
  });
}

/** 'present' when `withRetry` already comes from the helper, 'conflict' when the name means something else. */
function importState(ctx: RuleContext, spec: string): 'present' | 'absent' | 'conflict' {
  const { ts } = ctx;
  const sameModule = (text: string) => text.replace(/\.[cm]?js$/, '') === spec.replace(/\.[cm]?js$/, '');
  for (const s of ctx.sourceFile.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier)) {
      const bindings = s.importClause?.namedBindings;
      const names = bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : [];
      if (s.importClause?.name) names.push(s.importClause.name.text);
      if (names.includes(HELPER_EXPORT)) return sameModule(s.moduleSpecifier.text) ? 'present' : 'conflict';
    }
  }
  for (const s of ctx.sourceFile.statements) {
    if (!isRequireStatement(ctx, s) || !ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      // const { withRetry } = require('./with-retry')
      if (!ts.isObjectBindingPattern(d.name) || !d.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === HELPER_EXPORT)) continue;
      const arg = (d.initializer as ts.CallExpression).arguments[0];
      return arg && ts.isStringLiteral(arg) && sameModule(arg.text) ? 'present' : 'conflict';
    }
  }
  // The name taken by a declaration of this file (or an import of something else).
  const taken = ctx.checker.getSymbolsInScope(ctx.sourceFile, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).some((sym) => sym.name === HELPER_EXPORT && sym.declarations?.some((d) => d.getSourceFile() === ctx.sourceFile));
  return taken ? 'conflict' : 'absent';
}

function importEdit(ctx: RuleContext, spec: string, esm: boolean): FileEdit {
  const { ts } = ctx;
  const statements = ctx.sourceFile.statements;
  const quote = quoteStyle(ctx);
  const semi = statements.some((s) => (ts.isImportDeclaration(s) || isRequireStatement(ctx, s)) && !s.getText(ctx.sourceFile).endsWith(';')) ? '' : ';';
  const line = esm ? `import { ${HELPER_EXPORT} } from ${quote}${spec}${quote}${semi}` : `const { ${HELPER_EXPORT} } = require(${quote}${spec}${quote})${semi}`;
  const anchors = statements.filter((s) => (esm ? ts.isImportDeclaration(s) : isRequireStatement(ctx, s)));
  const last = anchors[anchors.length - 1];
  if (last) return { fileName: ctx.fileName, start: last.getEnd(), end: last.getEnd(), newText: `\n${line}` };
  const first = statements[0];
  const at = first ? first.getStart(ctx.sourceFile) : ctx.sourceFile.getEnd();
  return { fileName: ctx.fileName, start: at, end: at, newText: `${line}\n\n` };
}

function quoteStyle(ctx: RuleContext): string {
  const { ts } = ctx;
  const spec = ctx.sourceFile.statements.find((s): s is ts.ImportDeclaration => ts.isImportDeclaration(s));
  return spec && spec.moduleSpecifier.getText(ctx.sourceFile).startsWith('"') ? '"' : "'";
}

/** The TypeScript helper, or its JavaScript (ESM or CommonJS) for a JS project. */
function helperText(ctx: RuleContext, isTs: boolean, esm: boolean): string {
  if (isTs) return RETRY_HELPER_TS;
  const { ts } = ctx;
  const emitted = ts.transpileModule(RETRY_HELPER_TS, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: false } }).outputText;
  const js = restoreLayout(emitted);
  if (esm) return js;
  return `${js.replace(`export async function ${HELPER_EXPORT}`, `async function ${HELPER_EXPORT}`)}\nmodule.exports = { ${HELPER_EXPORT} };\n`;
}

/** The emitter indents by four and drops blank lines: back to two, with a blank line between declarations. */
function restoreLayout(emitted: string): string {
  const out: string[] = [];
  for (const raw of emitted.split('\n')) {
    const indent = /^ */.exec(raw)![0].length;
    // JSDoc continuation lines carry one extra space beyond the four-space levels.
    const line = ' '.repeat((indent - (indent % 4)) / 2 + (indent % 4)) + raw.slice(indent);
    const previous = out[out.length - 1];
    const startsDeclaration = indent === 0 && line !== '' && !line.startsWith('}') && !line.startsWith(']');
    const afterHeader = previous?.startsWith('//') && !line.startsWith('//') && out.every((l) => l.startsWith('//'));
    const afterDocComment = previous?.startsWith(' */') || previous?.startsWith('/**');
    if (startsDeclaration && previous !== undefined && previous !== '' && (afterHeader || (!previous.startsWith('//') && !afterDocComment))) out.push('');
    out.push(line);
  }
  return out.join('\n').replace(/\n+$/, '\n');
}
