// The two places a regular expression meets untrusted data: a pattern built from it
// (`new RegExp(x)`, `str.match(x)` with a string), and a constant pattern with
// catastrophic backtracking applied to it (`RE.test(x)`, `x.replace(RE, …)`).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { isLibFile, skipOuter } from '../../shared/callee';
import { constantString, constInitializer } from '../../shared/constant-values';
import type { Sink } from '../../taint';
import { catastrophicBacktracking, type Ambiguity } from './ambiguity';

export type RedosSinkData = { readonly form: 'pattern' } | { readonly form: 'backtracking'; readonly regex: string; readonly ambiguity: Ambiguity };

/** String methods that turn a string argument into a RegExp. */
const COMPILING_METHODS = new Set(['match', 'matchAll', 'search']);
/** String methods that run a RegExp argument over the receiver. */
const MATCHING_METHODS = new Set(['match', 'matchAll', 'search', 'replace', 'replaceAll', 'split']);
const REGEX_METHODS = new Set(['test', 'exec']);

function isLibDeclared(ctx: RuleContext, node: ts.Node): boolean {
  const decls = ctx.checker.getSymbolAtLocation(node)?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => isLibFile(d.getSourceFile().fileName));
}

function isStringTyped(ctx: RuleContext, e: ts.Expression): boolean {
  return !!(ctx.checker.getTypeAtLocation(e).flags & ctx.ts.TypeFlags.StringLike);
}

export function redosSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (!(ts.isCallExpression(node) || ts.isNewExpression(node)) || !node.arguments?.length) return [];
  const callee = skipOuter(ts, node.expression);
  if (ts.isIdentifier(callee)) {
    if (callee.text !== 'RegExp' || !isLibDeclared(ctx, callee)) return [];
    return [{ expr: node.arguments[0], label: ts.isNewExpression(node) ? 'new RegExp' : 'RegExp', data: { form: 'pattern' } satisfies RedosSinkData }];
  }
  if (!ts.isPropertyAccessExpression(callee) || ts.isNewExpression(node)) return [];
  const method = callee.name.text;
  const receiver = skipOuter(ts, callee.expression);
  if (REGEX_METHODS.has(method)) {
    const regex = constantRegex(ctx, receiver);
    return regex && isLibDeclared(ctx, callee.name) ? [{ expr: node.arguments[0], label: `${regex.text}.${method}`, data: { form: 'backtracking', regex: regex.text, ambiguity: regex.ambiguity } satisfies RedosSinkData }] : [];
  }
  if (!MATCHING_METHODS.has(method) || !isStringTyped(ctx, receiver) || !isLibDeclared(ctx, callee.name)) return [];
  const arg = node.arguments[0];
  const regex = constantRegex(ctx, skipOuter(ts, arg));
  if (regex) return [{ expr: receiver, label: `${method}(${regex.text})`, data: { form: 'backtracking', regex: regex.text, ambiguity: regex.ambiguity } satisfies RedosSinkData }];
  if (COMPILING_METHODS.has(method) && isStringTyped(ctx, arg)) return [{ expr: arg, label: method, data: { form: 'pattern' } satisfies RedosSinkData }];
  return [];
}

/** A regex literal, `new RegExp('constant')`, or a const holding either, with catastrophic backtracking. */
function constantRegex(ctx: RuleContext, e: ts.Expression, depth = 0): { text: string; ambiguity: Ambiguity } | undefined {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isRegularExpressionLiteral(x)) {
    const end = x.text.lastIndexOf('/');
    const ambiguity = catastrophicBacktracking(x.text.slice(1, end), x.text.slice(end + 1));
    return ambiguity && { text: x.text, ambiguity };
  }
  if ((ts.isNewExpression(x) || ts.isCallExpression(x)) && ts.isIdentifier(x.expression) && x.expression.text === 'RegExp' && x.arguments?.length) {
    const source = constantString(ctx, x.arguments[0]);
    const flags = x.arguments[1] ? constantString(ctx, x.arguments[1]) : '';
    if (source === undefined || flags === undefined || !isLibDeclared(ctx, x.expression)) return undefined;
    const ambiguity = catastrophicBacktracking(source, flags);
    return ambiguity && { text: `/${source}/${flags}`, ambiguity };
  }
  if (ts.isIdentifier(x) && depth < 3) {
    const init = constInitializer(ctx, x);
    return init ? constantRegex(ctx, init, depth + 1) : undefined;
  }
  return undefined;
}
