// pino's `redact` option: the paths a pino logger censors before it writes a line. When the
// logger a call uses was created in the program with `pino({ redact: [...] })`, a logged
// value whose sensitive paths are all covered is not a leak.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';
import { constantString } from './constant-values';

/** Redact paths of the pino logger `receiver` refers to, split into segments; undefined when unknown. */
export function pinoRedactPaths(ctx: RuleContext, receiver: ts.Expression): string[][] | undefined {
  const creation = creationCall(ctx, receiver, 0);
  const options = creation?.arguments[0] && objectLiteralOf(ctx, creation.arguments[0]);
  if (!options) return undefined;
  const redact = propertyValue(ctx, options, 'redact');
  if (!redact) return undefined;
  const paths = ctx.ts.isObjectLiteralExpression(redact) ? propertyValue(ctx, redact, 'paths') : redact;
  if (!paths || !ctx.ts.isArrayLiteralExpression(paths)) return undefined;
  const out: string[][] = [];
  for (const el of paths.elements) {
    const text = constantString(ctx, el);
    if (text !== undefined) out.push(splitPath(text));
  }
  return out;
}

/** True when every `path` (segments) is matched by a redact path, `*` standing for one segment. */
export function isRedacted(redact: readonly string[][], path: readonly string[]): boolean {
  return redact.some((r) => r.length <= path.length && r.every((seg, i) => seg === '*' || seg === path[i]));
}

/** `req.headers["authorization"]` → ['req', 'headers', 'authorization']. */
function splitPath(text: string): string[] {
  return text
    .replace(/\[\s*["']([^"']*)["']\s*\]/g, '.$1')
    .replace(/\[\s*\*\s*\]/g, '.*')
    .split('.')
    .filter(Boolean);
}

/** The `pino(...)` call that made the logger, following variables, imports and `.child()`. */
function creationCall(ctx: RuleContext, expr: ts.Expression, depth: number): ts.CallExpression | undefined {
  const { ts } = ctx;
  if (depth > 5) return undefined;
  const e = skipOuter(ts, expr);
  if (ts.isCallExpression(e)) {
    // logger.child({...}) keeps its parent's redaction.
    if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'child') return creationCall(ctx, e.expression.expression, depth + 1);
    return e;
  }
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
  let symbol = ctx.checker.getSymbolAtLocation(ts.isIdentifier(e) ? e : e.name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (decl && (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) return creationCall(ctx, decl.initializer, depth + 1);
  return undefined;
}

function objectLiteralOf(ctx: RuleContext, expr: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = skipOuter(ts, decl.initializer);
      if (ts.isObjectLiteralExpression(init)) return init;
    }
  }
  return undefined;
}

function propertyValue(ctx: RuleContext, obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const { ts } = ctx;
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return skipOuter(ts, p.initializer);
  }
  return undefined;
}
