// How messages and fixes name a handler: its function name, or its method and route
// (`POST /users`, a Next route derived from its file path) when it has none.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import type { RouteHandler } from '../../shared/http';

/** `createUser`, or "The `POST /users` handler" for an inline function. */
export function handlerLabel(ctx: RuleContext, h: RouteHandler): string {
  const name = handlerName(ctx, h.fn);
  if (name && !(h.framework === 'next' && /^[A-Z]+$/.test(name))) return `\`${name}\``;
  const route = h.framework === 'next' ? nextRoutePath(ctx.fileName) : h.path;
  const method = h.method && h.method !== 'all' ? h.method.toUpperCase() : undefined;
  if (method && route) return `The \`${method} ${route}\` handler`;
  if (route) return `The \`${route}\` handler`;
  return name ? `\`${name}\`` : 'This handler';
}

export function handlerName(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): string | undefined {
  const { ts } = ctx;
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const p = fn.parent;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && ts.isIdentifier(p.name)) return p.name.text;
  // CommonJS: `exports.create = (req, res) => …`
  if (ts.isBinaryExpression(p) && p.right === fn && ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
  return undefined;
}

/** `/api/users/[id]` for `…/app/api/users/[id]/route.ts`, `/api/users` for `…/pages/api/users.ts`. */
export function nextRoutePath(fileName: string): string | undefined {
  const app = /\/app((?:\/[^/]+)*)\/route\.[cm]?[jt]sx?$/.exec(fileName);
  if (app) return app[1].split('/').filter((s) => s && !/^\(.*\)$/.test(s)).map((s) => `/${s}`).join('') || '/';
  const pages = /\/pages(\/api\/.*?)(?:\/index)?\.[cm]?[jt]sx?$/.exec(fileName);
  return pages?.[1];
}
