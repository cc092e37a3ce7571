// Project-wide defences that make every filter safe from operator injection:
// `app.use(mongoSanitize())` of express-mongo-sanitize (strips `$` keys from body, query,
// params and headers before any handler runs) and `mongoose.set('sanitizeFilter', true)`.
// Looked for in the files of the same project (the folder of the nearest package.json).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { contextFor } from '../../inventory/location';
import { originOf, skipOuter } from '../../shared/callee';

export type AppDefence = 'middleware' | 'sanitize-filter';

const cache = new WeakMap<ts.Program, Map<string, AppDefence | null>>();

/** The project-wide defence of the project `ctx`'s file belongs to, if any. */
export function appDefence(ctx: RuleContext): AppDefence | undefined {
  const pj = ctx.project.packageJson(ctx.fileName);
  const root = pj ? pj.path.slice(0, pj.path.lastIndexOf('/') + 1) : ctx.project.root;
  let byRoot = cache.get(ctx.program);
  if (!byRoot) cache.set(ctx.program, (byRoot = new Map()));
  const hit = byRoot.get(root);
  if (hit !== undefined) return hit ?? undefined;
  let found: AppDefence | undefined;
  for (const sf of ctx.program.getSourceFiles()) {
    if (found === 'middleware') break;
    if (sf.isDeclarationFile || !sf.fileName.startsWith(root) || sf.fileName.includes('/node_modules/')) continue;
    if (!sf.text.includes('mongo-sanitize') && !sf.text.includes('sanitizeFilter')) continue;
    // A file of a nested project (its own package.json) is another app.
    if (ctx.project.packageJson(sf.fileName)?.path !== pj?.path) continue;
    found = defenceIn(contextFor(ctx, sf)) ?? found;
  }
  byRoot.set(root, found ?? null);
  return found;
}

function defenceIn(ctx: RuleContext): AppDefence | undefined {
  const { ts } = ctx;
  let found: AppDefence | undefined;
  const visit = (n: ts.Node): void => {
    if (found === 'middleware') return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(skipOuter(ts, n.expression))) {
      const name = (skipOuter(ts, n.expression) as ts.PropertyAccessExpression).name.text;
      if (name === 'use' && n.arguments.some((a) => isSanitizerMiddleware(ctx, a))) found = 'middleware';
      else if (name === 'set' && isSanitizeFilterOption(ctx, n)) found = 'sanitize-filter';
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return found;
}

/** `mongoSanitize()` / `mongoSanitize({ replaceWith: '_' })` of express-mongo-sanitize. */
function isSanitizerMiddleware(ctx: RuleContext, arg: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, arg);
  return ts.isCallExpression(e) && originOf(ctx, e.expression)?.module === 'express-mongo-sanitize';
}

/** `mongoose.set('sanitizeFilter', true)`. */
function isSanitizeFilterOption(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const [key, value] = call.arguments;
  if (!key || !value || !ts.isStringLiteralLike(key) || key.text !== 'sanitizeFilter' || value.kind !== ts.SyntaxKind.TrueKeyword) return false;
  return originOf(ctx, call.expression)?.module === 'mongoose';
}
