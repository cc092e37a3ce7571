// Does the project's Express forward a rejected handler promise to the error
// middleware? Express 5 does, Express 4 does not unless `express-async-errors`
// patches it. Read from the nearest package.json that declares express (then the
// installed copy), and from the project's imports of the patch.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';

const PATCHES = ['express-async-errors'];

/** true: rejections reach the error middleware; false: they are lost (Express 4); undefined: cannot tell. */
export function expressForwardsRejections(ctx: RuleContext): boolean | undefined {
  const major = expressMajor(ctx);
  if (major === undefined) return undefined;
  if (major >= 5) return true;
  return isPatched(ctx) ? true : false;
}

function expressMajor(ctx: RuleContext): number | undefined {
  for (let from = ctx.fileName, i = 0; i < 20; i++) {
    const pkg = ctx.project.packageJson(from);
    if (!pkg) break;
    const range = pkg.allDependencies.express;
    if (range !== undefined) return majorOfRange(range) ?? installedMajor(ctx, pkg.path);
    // Look in the package above this one (a monorepo root may declare express).
    const above = parentDir(parentDir(pkg.path));
    if (above === parentDir(pkg.path)) break;
    from = `${above}/package.json`;
  }
  return undefined;
}

/** `^4.21.0`, `~4.18`, `4.x`, `4` → 4; anything wider (`>=4`, `*`, `latest`, `4 || 5`) → undefined. */
export function majorOfRange(range: string): number | undefined {
  const m = /^\s*[\^~=v]*\s*(\d+)(?:\.(?:\d+|x|\*)){0,2}(?:-[\w.]+)?\s*$/i.exec(range);
  return m ? Number(m[1]) : undefined;
}

function installedMajor(ctx: RuleContext, packageJsonPath: string): number | undefined {
  const installed = ctx.project.findUp(packageJsonPath, ['node_modules/express/package.json']);
  const text = installed && ctx.project.readFile(installed);
  if (!text) return undefined;
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? majorOfRange(version) : undefined;
  } catch {
    return undefined;
  }
}

function parentDir(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? p : p.slice(0, i);
}

const patchedCache = new WeakMap<ts.Program, Map<string, boolean>>();

/** A declared dependency on the patch, or an import of it in the package's code. */
function isPatched(ctx: RuleContext): boolean {
  let packageDir: string | undefined;
  for (let from = ctx.fileName, i = 0; i < 20; i++) {
    const pkg = ctx.project.packageJson(from);
    if (!pkg) break;
    packageDir ??= parentDir(pkg.path);
    if (PATCHES.some((p) => p in pkg.allDependencies)) return true;
    const above = parentDir(parentDir(pkg.path));
    if (above === parentDir(pkg.path)) break;
    from = `${above}/package.json`;
  }
  const scope = `${packageDir ?? ctx.project.root}/`;
  let perPackage = patchedCache.get(ctx.program);
  if (!perPackage) patchedCache.set(ctx.program, (perPackage = new Map()));
  let found = perPackage.get(scope);
  if (found === undefined) {
    found = ctx.program.getSourceFiles().some((sf) => !sf.isDeclarationFile && sf.fileName.startsWith(scope) && !sf.fileName.includes('/node_modules/') && importsPatch(ctx, sf));
    perPackage.set(scope, found);
  }
  return found;
}

function importsPatch(ctx: RuleContext, sf: ts.SourceFile): boolean {
  const { ts } = ctx;
  if (!PATCHES.some((p) => sf.text.includes(p))) return false;
  return sf.statements.some((s) => {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier)) return PATCHES.includes(s.moduleSpecifier.text);
    // require('express-async-errors');
    if (ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && ts.isIdentifier(s.expression.expression) && s.expression.expression.text === 'require') {
      const arg = s.expression.arguments[0];
      return !!arg && ts.isStringLiteral(arg) && PATCHES.includes(arg.text);
    }
    return false;
  });
}
