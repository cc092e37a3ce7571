// The fix of expensive-route-without-strict-limit: a stricter express-rate-limit limiter as the
// route's first middleware. `const strictLimiter = rateLimit({ … })` is declared once per file
// (after the imports, reused by later fixes in the same file) and `rateLimit` imported once.
// Offered only for an Express route with a literal path, in an ES module, in a project that
// already depends on express-rate-limit.
import type { FileEdit, Fix, RuleContext } from '../api';
import { skipOuter } from './callee';
import { nameTaken, rateLimitBinding } from './rate-limit-imports';
import type { FileRoute } from './login-routes';

const MODULE = 'express-rate-limit';
const LIMITER = 'strictLimiter';
const STRICT_OPTIONS = '{ windowMs: 15 * 60 * 1000, limit: 10 }';

export function strictLimiterFix(ctx: RuleContext, route: FileRoute): (() => Fix[]) | undefined {
  const { ts } = ctx;
  const call = route.registration;
  if (route.framework !== 'express' || !ts.isCallExpression(call) || call.arguments.length < 2) return undefined;
  if (!ts.isStringLiteralLike(skipOuter(ts, call.arguments[0])) || !ctx.project.hasDependency(ctx.fileName, MODULE)) return undefined;
  const imports = ctx.sourceFile.statements.filter(ts.isImportDeclaration);
  if (!imports.length) return undefined;
  const declared = declaredLimiter(ctx);
  const imported = rateLimitBinding(ctx, MODULE);
  if (!declared && (nameTaken(ctx, LIMITER) || (!imported && nameTaken(ctx, 'rateLimit')))) return undefined;
  return () => {
    const at = call.arguments[1].getStart(ctx.sourceFile);
    const edits: FileEdit[] = [{ fileName: ctx.fileName, start: at, end: at, newText: `${LIMITER}, ` }];
    if (!declared) {
      const end = imports[imports.length - 1].getEnd();
      const importLine = imported ? '' : `\nimport rateLimit from '${MODULE}';`;
      edits.push({ fileName: ctx.fileName, start: end, end, newText: `${importLine}\n\n// Expensive routes (mail, uploads, exports) get a budget of their own.\nconst ${LIMITER} = ${imported ?? 'rateLimit'}(${STRICT_OPTIONS});` });
    }
    return [{ title: 'Add a strict limiter to this route (10 requests per 15 minutes, express-rate-limit)', isPreferred: true, safe: false, edits }];
  };
}

/** A top-level `const strictLimiter = …` the file already has (from an earlier fix). */
function declaredLimiter(ctx: RuleContext): boolean {
  const { ts } = ctx;
  return ctx.sourceFile.statements.some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === LIMITER));
}
