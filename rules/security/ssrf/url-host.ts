// Which parts of a URL expression decide where a request goes: the scheme, host and
// port. `https://api.example.com/users/${id}` has them fixed before the value (at most
// a path injection); `http://${host}:8080/x`, `'https://' + host`, `${req.query.url}`
// and `'https://api.example.com' + x` (x may start with `@evil.test` or `.evil.test`)
// do not. A value placed before anything is known (`${base}/…`) counts as choosing the
// host; a value after an opaque prefix is left alone: the rule cannot tell.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { constantString, unchangedConstInitializer } from '../../shared/constant-values';
import { flowsOf, projectFunctionOf } from '../../taint';
import { returnedExpressions } from '../../taint/functions';

/** Where a value sits: the whole URL's start, or inside a scheme/authority begun by constant text. */
export type HostPosition = 'start' | 'authority';

export interface HostPart {
  readonly expr: ts.Expression;
  readonly position: HostPosition;
}

type Piece = { readonly text: string } | { readonly expr: ts.Expression };

const MAX_DEPTH = 4;
const SCHEME = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i;
/** Placeholder for a value the rule cannot read, inside the known text. */
const OPAQUE = '\u0000';

/** The expressions of `url` that choose its scheme, host or port (empty when the constant part fixes them). */
export function hostParts(ctx: RuleContext, url: ts.Expression, depth = 0): HostPart[] {
  const { ts } = ctx;
  const e = skipOuter(ts, url);
  if (depth > MAX_DEPTH) return [];
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.length) return newUrlParts(ctx, e.arguments, depth);
  const out: HostPart[] = [];
  let known = '';
  for (const piece of piecesOf(ts, e)) {
    if (authorityClosed(known)) break;
    if ('text' in piece) {
      known += piece.text;
      continue;
    }
    const text = constantString(ctx, piece.expr);
    if (text !== undefined) {
      known += text;
      continue;
    }
    // After an opaque prefix that is not a scheme, the rule cannot tell where the host ends.
    if (known.startsWith(OPAQUE) && !SCHEME.test(known.replace(OPAQUE, 'x'))) break;
    const position: HostPosition = known === '' ? 'start' : 'authority';
    const inner = innerParts(ctx, piece.expr, depth);
    if (inner === 'fixed') {
      if (known === '') return out;
      known += OPAQUE;
      continue;
    }
    if (inner.length > 0 || isTainted(ctx, piece.expr)) {
      const worst = inner.some((p) => p.position === 'authority') ? 'authority' : position;
      out.push({ expr: piece.expr, position: worst });
    }
    known += OPAQUE;
  }
  return out;
}

/** True when the text has a scheme or `//` and then a host ended by `/`, `?` or `#`; or is a relative path. */
function authorityClosed(known: string): boolean {
  const k = known.startsWith(OPAQUE) ? known.replace(OPAQUE, 'x') : known;
  const scheme = SCHEME.exec(k);
  if (scheme) return /^[^/?#]+[/?#]/.test(k.slice(scheme[0].length));
  // `/api/users/…`, `?q=…`: relative to a base the code chose.
  return /^[/?#]/.test(k);
}

/** `new URL(path, base)`: a path starting with `/` (not `//`) keeps the base's host; anything else may replace it. */
function newUrlParts(ctx: RuleContext, args: readonly ts.Expression[], depth: number): HostPart[] {
  const { ts } = ctx;
  const [input, base] = args;
  const first = piecesOf(ts, skipOuter(ts, input))[0];
  const keepsBase = !!base && !!first && 'text' in first && first.text.startsWith('/') && !first.text.startsWith('//');
  return keepsBase ? hostParts(ctx, base, depth + 1) : hostParts(ctx, input, depth + 1);
}

/** A `const` holding a URL built from parts, or a project function returning one: judged by what it holds. */
function innerParts(ctx: RuleContext, e: ts.Expression, depth: number): HostPart[] | 'fixed' {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  let inner: ts.Expression[] = [];
  if (ts.isIdentifier(x)) {
    const init = unchangedConstInitializer(ctx, x);
    if (init && isBuilt(ts, init)) inner = [init];
  } else if (ts.isCallExpression(x)) {
    const fn = projectFunctionOf(ctx, x);
    if (fn) inner = returnedExpressions(ctx, fn).filter((r) => isBuilt(ts, r));
    if (fn && inner.length !== returnedExpressions(ctx, fn).length) inner = [];
  }
  if (inner.length === 0) return [];
  const parts = inner.flatMap((i) => hostParts(ctx, i, depth + 1));
  return parts.length === 0 ? 'fixed' : parts;
}

function isBuilt(ts: RuleContext['ts'], e: ts.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isTemplateExpression(x) || ts.isNoSubstitutionTemplateLiteral(x) || ts.isStringLiteral(x) || (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) || (ts.isNewExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'URL');
}

function isTainted(ctx: RuleContext, e: ts.Expression): boolean {
  return flowsOf(ctx, e).length > 0;
}

function piecesOf(ts: RuleContext['ts'], e: ts.Expression): Piece[] {
  const x = skipOuter(ts, e);
  if (ts.isTemplateExpression(x)) {
    const out: Piece[] = [{ text: x.head.text }];
    for (const span of x.templateSpans) out.push({ expr: span.expression }, { text: span.literal.text });
    return out;
  }
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...piecesOf(ts, x.left), ...piecesOf(ts, x.right)];
  if (ts.isStringLiteralLike(x)) return [{ text: x.text }];
  return [{ expr: x }];
}
