// Where a caught error is in hand: a `catch (err)` variable, the first parameter of an
// Express error middleware (four parameters), of a Fastify error handler, or of a
// promise's rejection callback. And whether the error can come from a library (a
// database, an HTTP client, the file system), whose messages describe internals.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { shortText } from '../../shared/source-text';
import { serverOf } from '../../shared/responses';
import { SCHEMA_LIBRARIES } from '../../shared/validation-libs';

export type ErrorOrigin =
  | { readonly kind: 'catch'; readonly clause: ts.CatchClause }
  | { readonly kind: 'handler'; readonly fn: ts.SignatureDeclaration }
  | { readonly kind: 'rejection'; readonly promise: ts.Expression };

/** Libraries whose errors are written for the caller to show (validation reports). */
const CLIENT_FACING = new Set<string>([...SCHEMA_LIBRARIES, '@hapi/joi', 'class-validator', 'ajv', 'express-validator', 'http-errors', '@nestjs/common']);

/** The caught error an identifier refers to, if it refers to one. */
export function errorOriginOf(ctx: RuleContext, id: ts.Identifier): ErrorOrigin | undefined {
  const { ts } = ctx;
  const decl = ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!decl) return undefined;
  if (ts.isVariableDeclaration(decl) && ts.isCatchClause(decl.parent)) return { kind: 'catch', clause: decl.parent };
  if (!ts.isParameter(decl)) return undefined;
  const fn = decl.parent;
  const index = fn.parameters.indexOf(decl);
  const call = fn.parent;
  if (index !== 0) return undefined;
  if (ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression)) {
    const method = calledMethod(ts, call);
    const promise = ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
    // `.catch(onRejected)` / `.then(onFulfilled, onRejected)`: only the rejection callback gets the error.
    const rejection = (method === 'catch' && call.arguments[0] === fn) || (method === 'then' && call.arguments[1] === fn);
    if (rejection && promise) return { kind: 'rejection', promise };
    if (method === 'then' || method === 'catch') return undefined;
    if (method === 'setErrorHandler' && resolveCall(ctx, call)?.module === 'fastify') return { kind: 'handler', fn };
  }
  // Express runs a four-parameter function as the error handler.
  if (fn.parameters.length === 4 && index === 0 && isExpressErrorHandler(ctx, fn)) return { kind: 'handler', fn };
  return undefined;
}

function calledMethod(ts: RuleContext['ts'], call: ts.CallExpression): string | undefined {
  return ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : undefined;
}

function isExpressErrorHandler(ctx: RuleContext, fn: ts.SignatureDeclaration): boolean {
  const { ts } = ctx;
  const call = fn.parent;
  if (ts.isCallExpression(call) && calledMethod(ts, call) === 'use') {
    const module = resolveCall(ctx, call)?.module;
    if (module === 'express' || module === 'express-serve-static-core') return true;
  }
  const type = fn.parameters[1].type ? ctx.checker.getTypeAtLocation(fn.parameters[1].type) : undefined;
  const symbol = type?.getSymbol() ?? type?.aliasSymbol;
  return !!symbol && symbol.name === 'Request' && (symbol.declarations ?? []).some((d) => /\/(express|express-serve-static-core)\//.test(d.getSourceFile().fileName));
}

/** The library call an error of this origin may come from (for the message), or undefined when none is known. */
export function libraryThrower(ctx: RuleContext, origin: ErrorOrigin): string | 'any' | undefined {
  const { ts } = ctx;
  if (origin.kind === 'handler') return 'any';
  const scope = origin.kind === 'catch' ? origin.clause.parent.tryBlock : origin.promise;
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found || (ts.isFunctionLike(n) && n !== scope)) return;
    // Answering the client (`res.status(500).json(…)`) is not where the error comes from.
    const receiver = ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) ? n.expression.expression : undefined;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && !(receiver && serverOf(ctx, receiver))) {
      const target = resolveCall(ctx, n);
      // A relative module (`require('../services')`) is the project's own code, whose errors it wrote.
      const module = target?.module;
      if (module && !target.isGlobal && !module.startsWith('.') && !module.startsWith('/') && !CLIENT_FACING.has(module)) {
        found = shortText(ctx, skipOuter(ts, n.expression));
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}
