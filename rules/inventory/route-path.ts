// Route paths as the matrix shows them: prefixes joined without doubled slashes,
// Next's file-system routes turned into `/api/users/:id`, and whether a
// path-scoped middleware (`app.use('/admin', auth)`) covers a route.
import * as path from 'node:path';
import type { RuleContext } from '../api';

export const DYNAMIC_PATH = '(dynamic)';

/** `/api` + `users/:id` → `/api/users/:id`; any dynamic part makes the whole dynamic. */
export function joinPaths(...parts: readonly (string | undefined)[]): string {
  if (parts.some((p) => p === undefined || p === DYNAMIC_PATH)) return DYNAMIC_PATH;
  const segments = (parts as string[]).flatMap((p) => p.split('/')).filter((s) => s !== '');
  return `/${segments.join('/')}`;
}

/** True when a middleware mounted at `mountPath` runs for a route at `routePath` (both relative to the same router). */
export function pathCovers(mountPath: string | undefined, routePath: string | undefined): boolean {
  if (mountPath === undefined) return true;
  const mount = joinPaths(mountPath);
  if (mount === '/' || mountPath === '*' || mountPath === '/*') return true;
  if (routePath === undefined || routePath === DYNAMIC_PATH) return false;
  const route = joinPaths(routePath);
  return route === mount || route.startsWith(`${mount}/`);
}

/**
 * The URL path of a Next route file: `pages/api/users/[id].ts` → `/api/users/:id`,
 * `app/(shop)/cart/[...items]/route.ts` → `/cart/:items*`. Relative to the package's
 * `app`/`pages` folder (optionally under `src/`); undefined when the file is not in one.
 */
export function nextRoutePath(ctx: RuleContext, fileName: string): string | undefined {
  const pkg = ctx.project.packageJson(fileName);
  const base = pkg ? path.posix.dirname(pkg.path) : ctx.project.root;
  const rel = path.posix.relative(base, fileName);
  const m = /^(?:src\/)?(app|pages)\/(.*)$/.exec(rel) ?? /(?:^|\/)(app|pages)\/(.*)$/.exec(rel);
  if (!m) return undefined;
  const [, router, rest] = m;
  const segments = rest.split('/');
  const file = segments.pop()!.replace(/\.[cm]?[jt]sx?$/, '');
  if (router === 'pages' && file !== 'index') segments.push(file);
  const out: string[] = [];
  for (const s of segments) {
    // Route groups `(shop)` and parallel-route slots `@modal` do not appear in the URL.
    if (router === 'app' && (/^\(.*\)$/.test(s) || s.startsWith('@'))) continue;
    out.push(nextSegment(s));
  }
  return joinPaths(...out);
}

function nextSegment(segment: string): string {
  const optionalCatchAll = /^\[\[\.\.\.(.+)\]\]$/.exec(segment);
  if (optionalCatchAll) return `:${optionalCatchAll[1]}*`;
  const catchAll = /^\[\.\.\.(.+)\]$/.exec(segment);
  if (catchAll) return `:${catchAll[1]}*`;
  const dynamic = /^\[(.+)\]$/.exec(segment);
  return dynamic ? `:${dynamic[1]}` : segment;
}
