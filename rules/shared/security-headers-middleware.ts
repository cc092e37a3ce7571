// Is this `use` argument a middleware that sets the protective response headers? Helmet
// (or one of its parts), lusca's header middleware, or a project middleware that sets
// Content-Security-Policy / Strict-Transport-Security / X-Content-Type-Options itself.
// Decided by the package the value resolves to and by the calls in the function's body.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveValue } from '../inventory/values';
import { skipOuter } from './callee';
import { constantString } from './constant-values';

const KEY_HEADERS = new Set(['content-security-policy', 'strict-transport-security', 'x-content-type-options']);
const HEADER_SETTERS = new Set(['setHeader', 'set', 'header']);

/** A description of the headers middleware (for evidence), or undefined. */
export function headersMiddleware(ctx: RuleContext, expr: ts.Expression): string | undefined {
  const value = resolveValue(ctx, expr);
  if (!value) return undefined;
  if (value.kind === 'package') {
    const last = value.names[value.names.length - 1];
    if (value.module === 'helmet') return 'helmet';
    // lusca's CSRF part alone sets no response header that hardens the page.
    if (value.module === 'lusca' && last !== 'csrf') return 'lusca';
    return undefined;
  }
  if (value.kind === 'function' && value.fn.body && setsKeyHeader(ctx, value.fn.body)) return 'a middleware setting security headers';
  return undefined;
}

/** The body calls `res.setHeader('Content-Security-Policy', …)`, `res.set({ 'Strict-Transport-Security': … })` or alike. */
function setsKeyHeader(ctx: RuleContext, body: ts.Node): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && HEADER_SETTERS.has(node.expression.name.text)) {
      const first = node.arguments[0];
      const key = constantString(ctx, first);
      if (key && KEY_HEADERS.has(key.toLowerCase())) found = true;
      const o = first && skipOuter(ts, first);
      if (o && ts.isObjectLiteralExpression(o)) {
        found ||= o.properties.some((p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && KEY_HEADERS.has(p.name.text.toLowerCase()));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}
