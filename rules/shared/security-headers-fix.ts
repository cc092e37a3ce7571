// The fix of missing-security-headers: `app.use(helmet());` right after the statement that
// creates the app, and the helmet import once, in the module style of the file (an
// `import` among imports, a `require` among requires).
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../api';
import { originOf } from './callee';

/** The edits, or undefined when the app is not created by a plain `const app = express();` statement. */
export function helmetEdits(ctx: RuleContext, holder: ts.Node): FileEdit[] | undefined {
  const { ts } = ctx;
  if (!ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return undefined;
  const list = holder.parent;
  const statement = list.parent;
  if (!ts.isVariableDeclarationList(list) || !ts.isVariableStatement(statement) || list.declarations.length !== 1) return undefined;
  const block = statement.parent;
  if (!ts.isSourceFile(block) && !ts.isBlock(block)) return undefined;
  const helmet = existingHelmetName(ctx) ?? 'helmet';
  const importEdit = existingHelmetName(ctx) ? undefined : helmetImport(ctx);
  if (!existingHelmetName(ctx) && (!importEdit || nameTaken(ctx, helmet))) return undefined;
  const sf = ctx.sourceFile;
  const lineStart = sf.text.lastIndexOf('\n', statement.getStart(sf)) + 1;
  const indent = /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
  // After the statement's line, so a trailing comment stays with the statement.
  const lineEnd = sf.text.indexOf('\n', statement.getEnd());
  const call = `${indent}${holder.name.text}.use(${helmet}());`;
  const use: FileEdit = lineEnd === -1 ? { fileName: ctx.fileName, start: sf.text.length, end: sf.text.length, newText: `\n${call}` } : { fileName: ctx.fileName, start: lineEnd + 1, end: lineEnd + 1, newText: `${call}\n` };
  return importEdit ? [importEdit, use] : [use];
}

/** A top-level binding that already holds helmet's default export. */
function existingHelmetName(ctx: RuleContext): string | undefined {
  const { ts } = ctx;
  for (const s of ctx.sourceFile.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === 'helmet' && s.importClause?.name) return s.importClause.name.text;
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const origin = d.initializer && ts.isIdentifier(d.name) ? originOf(ctx, d.initializer) : undefined;
        if (origin?.module === 'helmet' && !origin.instance && origin.members.length === 0 && origin.exportPath.every((p) => p === 'default')) return d.name.getText();
      }
    }
  }
  return undefined;
}

function nameTaken(ctx: RuleContext, name: string): boolean {
  const { ts } = ctx;
  return ctx.checker.getSymbolsInScope(ctx.sourceFile, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).some((s) => s.name === name && s.declarations?.some((d) => d.getSourceFile() === ctx.sourceFile));
}

function helmetImport(ctx: RuleContext): FileEdit | undefined {
  const { ts } = ctx;
  const statements = ctx.sourceFile.statements;
  const imports = statements.filter(ts.isImportDeclaration);
  const requires = statements.filter((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => !!d.initializer && isRequire(ts, d.initializer)));
  const at = (s: ts.Statement, text: string): FileEdit => ({ fileName: ctx.fileName, start: s.getEnd(), end: s.getEnd(), newText: `\n${text}` });
  if (imports.length > 0) return at(imports[imports.length - 1], "import helmet from 'helmet';");
  if (requires.length > 0) return at(requires[requires.length - 1], "const helmet = require('helmet');");
  return undefined;
}

function isRequire(ts: RuleContext['ts'], e: ts.Expression): boolean {
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require';
}
