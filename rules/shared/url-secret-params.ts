// Query parameters a URL is built with, read from the constant text of a template or
// concatenation (`…?api_key=${key}&page=2`), and whether a parameter carries a secret:
// its name says credential (`token`, `api_key`, `key`, `client_secret`, `password`) and
// its value is one — a `process.env` read or a variable named like a credential — not a
// constant, a number or a boolean.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';
import { envVariableRead } from './cleartext-urls';
import { constantString } from './constant-values';
import { isSecretLikeName, nameWords } from './secret-names';

export interface QueryParam {
  readonly name: string;
  readonly value: ts.Expression;
}

type Piece = { readonly text: string } | { readonly expr: ts.Expression };

const SECRET_PARAM_WORDS = new Set(['token', 'secret', 'password', 'passwd', 'pwd', 'apikey', 'key', 'sig', 'signature', 'auth', 'credential', 'credentials']);
const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'client', 'auth', 'app', 'subscription', 'license']);

/** `token`, `access_token`, `api_key`, `apiKey`, `key`, `client_secret`, `password`; not `cache_key`, `token_type`. */
export function isSecretParamName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (!last || !SECRET_PARAM_WORDS.has(last)) return false;
  if (last === 'key') return words.length === 1 || KEY_QUALIFIERS.has(words[words.length - 2]);
  if (last === 'sig' || last === 'signature' || last === 'auth') return words.length === 1;
  return true;
}

/** The `name=value` query parameters whose value is an expression, in a template/concatenation URL. */
export function queryParamsOf(ctx: RuleContext, url: ts.Expression): QueryParam[] {
  const pieces = piecesOf(ctx, followConst(ctx, url), 0);
  const out: QueryParam[] = [];
  let text = '';
  for (const piece of pieces) {
    if ('text' in piece) {
      text += piece.text;
      continue;
    }
    // Reading the constant URL text the code wrote: the parameter right before the value.
    const match = /[?&]([A-Za-z0-9_.\-[\]]+)=$/.exec(text);
    if (match) out.push({ name: match[1], value: piece.expr });
    text = '';
  }
  return out;
}

/** A value that is a credential: an environment variable, or a variable/property named like one. */
export function isSecretValue(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (isHarmless(ctx, e)) return false;
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'encodeURIComponent' && e.arguments[0]) return isSecretValue(ctx, e.arguments[0]);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return isSecretValue(ctx, e.left);
  if (envVariableRead(ctx, e) !== undefined) return true;
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
  return name !== undefined && (isSecretLikeName(name) || isSecretParamName(name));
}

function isHarmless(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (constantString(ctx, e) !== undefined) return true;
  const type = ctx.checker.getTypeAtLocation(e);
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) !== 0);
}

/** `const url = \`…\``: the template a local constant holds. */
function followConst(ctx: RuleContext, expr: ts.Expression): ts.Expression {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (!ts.isIdentifier(e)) return e;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return e;
  const init = skipOuter(ts, decl.initializer);
  return ts.isTemplateExpression(init) || ts.isBinaryExpression(init) ? init : e;
}

function piecesOf(ctx: RuleContext, expr: ts.Expression, depth: number): Piece[] {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > 8) return [{ expr: e }];
  if (ts.isTemplateExpression(e)) {
    const out: Piece[] = [{ text: e.head.text }];
    for (const span of e.templateSpans) out.push({ expr: span.expression }, { text: span.literal.text });
    return out;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...piecesOf(ctx, e.left, depth + 1), ...piecesOf(ctx, e.right, depth + 1)];
  const constant = constantString(ctx, e);
  return constant !== undefined ? [{ text: constant }] : [{ expr: e }];
}
