// unbounded-body-read's option half: body readers whose limit the code removes or sets huge —
// raw-body without `limit`, Fastify's `bodyLimit`, koa-body / koa-bodyparser `jsonLimit`,
// `formLimit`, `textLimit`. Recognised by the package the call comes from. Express and
// body-parser parsers are upload-without-size-limit's.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, skipOuter } from './callee';
import { objectLiteralOf, propertyOf } from './option-objects';

export interface BodyReader {
  /** How the message names it: `getRawBody`, `Fastify()`, `koaBody`. */
  readonly label: string;
  readonly call: ts.CallExpression;
  /** Limit options this reader takes, and whether leaving one out means no limit at all. */
  readonly limits: readonly string[];
  readonly unboundedWhenMissing: boolean;
  /** The options argument's position. */
  readonly optionsIndex: number;
  /** The value the fix writes: bytes for Fastify, a `bytes` string elsewhere. */
  readonly fixValue: string;
}

const KOA_LIMITS = ['jsonLimit', 'formLimit', 'textLimit', 'xmlLimit'];

export function bodyReaderOf(ctx: RuleContext, call: ts.CallExpression): BodyReader | undefined {
  const { ts } = ctx;
  const origin = originOf(ctx, skipOuter(ts, call.expression));
  if (!origin || origin.instance) return undefined;
  const path = [...origin.exportPath, ...origin.members].filter((p) => p !== 'default');
  const named = (names: readonly string[]): boolean => path.length === 0 || (path.length === 1 && names.includes(path[0]));
  const label = call.expression.getText();
  switch (origin.module) {
    case 'raw-body':
      return named([]) ? { label, call, limits: ['limit'], unboundedWhenMissing: true, optionsIndex: 1, fixValue: "'1mb'" } : undefined;
    case 'fastify':
      return named(['fastify']) ? { label, call, limits: ['bodyLimit'], unboundedWhenMissing: false, optionsIndex: 0, fixValue: '1_048_576' } : undefined;
    case 'koa-body':
      return named(['koaBody']) ? { label, call, limits: KOA_LIMITS, unboundedWhenMissing: false, optionsIndex: 0, fixValue: "'1mb'" } : undefined;
    case 'koa-bodyparser':
    case '@koa/bodyparser':
      return named(['bodyParser']) ? { label, call, limits: KOA_LIMITS, unboundedWhenMissing: false, optionsIndex: 0, fixValue: "'1mb'" } : undefined;
    default:
      return undefined;
  }
}

export type LimitProblem =
  | { readonly kind: 'missing'; readonly options?: ts.ObjectLiteralExpression; readonly encoding?: ts.StringLiteralLike }
  | { readonly kind: 'huge'; readonly name: string; readonly value: ts.Expression };

/** What is wrong with the reader's limits, as far as the code states them. */
export function limitProblemsOf(ctx: RuleContext, reader: BodyReader, tooBig: (value: ts.Expression) => boolean): LimitProblem[] {
  const { ts } = ctx;
  const arg = reader.call.arguments[reader.optionsIndex];
  if (!arg) return reader.unboundedWhenMissing && reader.call.arguments.length === reader.optionsIndex ? [{ kind: 'missing' }] : [];
  const a = skipOuter(ts, arg);
  // raw-body's second argument may be just the encoding.
  if (ts.isStringLiteralLike(a)) return reader.unboundedWhenMissing ? [{ kind: 'missing', encoding: a }] : [];
  const options = objectLiteralOf(ctx, arg);
  if (!options) return [];
  const out: LimitProblem[] = [];
  for (const name of reader.limits) {
    const p = propertyOf(ctx, options, name);
    if (!p) return [];
    if (!p.found) {
      if (reader.unboundedWhenMissing) out.push({ kind: 'missing', options });
    } else if (tooBig(p.value)) out.push({ kind: 'huge', name, value: p.value });
  }
  return out;
}
