// The project's shared logger: a module of the same package that exports a pino, winston
// or bunyan instance which at least one other module imports. Its existence is what makes a
// `console.*` call a deviation; its export is what the fix imports. Cached per program.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { contextFor } from '../../inventory/location';
import { loggerLibraryOf, type LoggerLibrary } from '../../shared/logger';

export interface LoggerModule {
  readonly sourceFile: ts.SourceFile;
  /** The exported name (`logger`), or 'default'. */
  readonly exportName: string;
  readonly library: Exclude<LoggerLibrary, 'console' | 'nest'>;
  /** How an importer already spells the module path: with a `.js` extension (ESM under nodenext) or without. */
  readonly withJsExtension: boolean;
}

const cache = new WeakMap<ts.Program, Map<string, LoggerModule | null>>();

/** The shared logger module of the package `packageJsonPath` belongs to, if the project has one. */
export function sharedLoggerModule(ctx: RuleContext, packageJsonPath: string): LoggerModule | undefined {
  let byPackage = cache.get(ctx.program);
  if (!byPackage) cache.set(ctx.program, (byPackage = new Map()));
  if (!byPackage.has(packageJsonPath)) byPackage.set(packageJsonPath, find(ctx, packageJsonPath) ?? null);
  return byPackage.get(packageJsonPath) ?? undefined;
}

function find(ctx: RuleContext, packageJsonPath: string): LoggerModule | undefined {
  const { ts } = ctx;
  const files = ctx.program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes('/node_modules/') && ctx.project.packageJson(sf.fileName)?.path === packageJsonPath);
  for (const sf of files) {
    const exported = exportedLogger(contextFor(ctx, sf), sf);
    if (!exported) continue;
    const importer = files.map((other) => (other === sf ? undefined : importOf(ctx, other, sf))).find((s) => s !== undefined);
    if (importer === undefined) continue;
    return { sourceFile: sf, ...exported, withJsExtension: /\.[cm]?js$/.test(importer) && !/\.[cm]?js$/.test(sf.fileName) };
  }
  return undefined;
  function importOf(c: RuleContext, from: ts.SourceFile, target: ts.SourceFile): string | undefined {
    for (const s of from.statements) {
      const spec = ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier : undefined;
      if (!spec || !spec.text.startsWith('.')) continue;
      const resolved = c.checker.getSymbolAtLocation(spec)?.valueDeclaration;
      if (resolved === target) return spec.text;
    }
    return undefined;
  }
}

function exportedLogger(ctx: RuleContext, sf: ts.SourceFile): Pick<LoggerModule, 'exportName' | 'library'> | undefined {
  const { ts } = ctx;
  for (const s of sf.statements) {
    if (ts.isVariableStatement(s) && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const d of s.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        const library = structured(loggerLibraryOf(ctx, d.name) ?? loggerLibraryOf(ctx, d.initializer));
        if (library) return { exportName: d.name.text, library };
      }
    }
    if (ts.isExportAssignment(s) && !s.isExportEquals) {
      const library = structured(loggerLibraryOf(ctx, s.expression));
      if (library) return { exportName: 'default', library };
    }
  }
  return undefined;
}

function structured(library: LoggerLibrary | undefined): LoggerModule['library'] | undefined {
  return library === 'pino' || library === 'winston' || library === 'bunyan' ? library : undefined;
}
