// Is a value a promise? Asked of the type checker as typescript-eslint's
// no-floating-promises does: a type with a callable `then` (Promise, PromiseLike,
// Prisma's and mongoose's lazy queries, knex builders). Shared with
// unforwarded-async-error, which asks the same of awaited and returned values.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { packageOfFile } from '../../shared/callee';

// Thenables that are not pending work: Fastify's reply is awaitable for its own
// lifecycle but answers the request whether or not anyone awaits it.
const NOT_PROMISES_BY_PACKAGE = ['fastify'];

export type Promiseness = 'promise' | 'maybe-promise' | 'not-promise' | 'unknown';

/**
 * 'promise' when every part of the type is thenable, 'maybe-promise' when some part
 * is (`Promise<void> | undefined`), 'unknown' for any/unknown, else 'not-promise'.
 */
export function promisenessOf(ctx: RuleContext, type: ts.Type): Promiseness {
  const { ts } = ctx;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'unknown';
  const parts = type.isUnion() ? type.types : [type];
  const thenable = parts.filter((t) => isThenable(ctx, t));
  if (thenable.length === 0) return 'not-promise';
  return thenable.length === parts.length ? 'promise' : 'maybe-promise';
}

function isThenable(ctx: RuleContext, type: ts.Type): boolean {
  const { ts } = ctx;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return false;
  const apparent = ctx.checker.getApparentType(type);
  const then = ctx.checker.getPropertyOfType(apparent, 'then');
  if (!then) return false;
  // Fastify brands `register()`/`after()`'s instance (`SafePromiseLike`) as safe to leave floating: errors surface at `ready`/`listen`.
  if (ctx.checker.getPropertyOfType(apparent, '__linterBrands')) return false;
  const decl = then.valueDeclaration ?? then.declarations?.[0];
  const pkg = decl && packageOfFile(decl.getSourceFile().fileName);
  if (pkg && NOT_PROMISES_BY_PACKAGE.includes(pkg)) return false;
  const thenType = ctx.checker.getTypeOfSymbol(then);
  return ctx.checker.getNonNullableType(thenType).getCallSignatures().length > 0;
}

/** `p.catch(f)` or `p.then(f, g)`: a chain whose last link handles a rejection. */
export function endsInHandler(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isCallExpression(expr) || !ts.isPropertyAccessExpression(expr.expression)) return false;
  const member = expr.expression.name.text;
  return (member === 'catch' && expr.arguments.length >= 1) || (member === 'then' && expr.arguments.length >= 2);
}
