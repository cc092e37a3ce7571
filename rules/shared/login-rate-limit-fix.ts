// The fix of login-without-rate-limit: an express-rate-limit middleware put first on the
// route (`router.post('/login', rateLimit({ … }), handler)`), importing the package once.
// Offered only where it is certain to work: an Express route with a literal path, in an
// ES module, in a project that already depends on express-rate-limit.
import type { FileEdit, Fix, RuleContext } from '../api';
import { skipOuter } from './callee';
import { nameTaken, rateLimitBinding } from './rate-limit-imports';
import type { FileRoute } from './login-routes';

const MODULE = 'express-rate-limit';
const LIMITER_OPTIONS = '{ windowMs: 15 * 60 * 1000, limit: 10 }';

export function rateLimitFix(ctx: RuleContext, route: FileRoute): (() => Fix[]) | undefined {
  const { ts } = ctx;
  const call = route.registration;
  if (route.framework !== 'express' || !ts.isCallExpression(call) || call.arguments.length < 2) return undefined;
  if (!ts.isStringLiteralLike(skipOuter(ts, call.arguments[0]))) return undefined;
  if (!ctx.project.hasDependency(ctx.fileName, MODULE) || !isEsModule(ctx)) return undefined;
  const imported = rateLimitBinding(ctx, MODULE);
  if (!imported && nameTaken(ctx, 'rateLimit')) return undefined;
  return () => {
    const name = imported ?? 'rateLimit';
    const edits: FileEdit[] = [{ fileName: ctx.fileName, start: call.arguments[1].getStart(ctx.sourceFile), end: call.arguments[1].getStart(ctx.sourceFile), newText: `${name}(${LIMITER_OPTIONS}), ` }];
    if (!imported) {
      const at = importInsertionPoint(ctx);
      edits.push({ fileName: ctx.fileName, start: at, end: at, newText: `${at === 0 ? '' : '\n'}import rateLimit from '${MODULE}';${at === 0 ? '\n' : ''}` });
    }
    return [{ title: 'Rate-limit this route with express-rate-limit (10 attempts per 15 minutes)', isPreferred: true, safe: false, edits }];
  };
}

function isEsModule(ctx: RuleContext): boolean {
  const { ts } = ctx;
  return ctx.sourceFile.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s));
}

/** After the last import; at the start of the file when there is none. */
function importInsertionPoint(ctx: RuleContext): number {
  const { ts } = ctx;
  const imports = ctx.sourceFile.statements.filter(ts.isImportDeclaration);
  return imports.length ? imports[imports.length - 1].getEnd() : 0;
}
