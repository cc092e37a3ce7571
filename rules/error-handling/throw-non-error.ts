// throw-non-error: `throw 'message'`, `throw { code: 404 }` and `Promise.reject('x')` —
// values that are not Error objects carry no stack trace, so the log of the crash says
// where it was caught, not where it happened, and error middleware reading `err.message`
// or `err.status` gets undefined. Decided by the thrown value's type, so rethrowing a
// caught `unknown` or an Error subclass stays silent. Offers `new Error(…)` for strings.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { isLibFile, skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { shortText } from '../shared/source-text';

export const rule: Rule = {
  id: 'throw-non-error',
  category: 'error-handling',
  cwe: [],
  defaultSeverity: 'warning',
  description: 'A thrown or rejected value is not an Error, so it carries no stack trace and no `message`.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ts.isThrowStatement(node)) check(ctx, node.expression, 'throw');
      else if (ts.isCallExpression(node) && node.arguments.length === 1 && isPromiseReject(ctx, node)) check(ctx, node.arguments[0], 'Promise.reject');
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

/** `Promise.reject(x)` on the global Promise. */
function isPromiseReject(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'reject' || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Promise') return false;
  return (ctx.checker.getSymbolAtLocation(callee.expression)?.declarations ?? []).some((d) => isLibFile(d.getSourceFile().fileName));
}

type Kind = 'string' | 'object' | 'other';

/** What the value is when it certainly is not an Error; undefined when it is, or may be. */
function nonErrorKind(ctx: RuleContext, value: ts.Expression): Kind | undefined {
  const { ts, checker } = ctx;
  const type = checker.getTypeAtLocation(value);
  const F = ts.TypeFlags;
  if (type.flags & (F.Any | F.Unknown | F.Never | F.TypeParameter)) return undefined;
  const parts = type.isUnion() ? type.types : [type];
  if (parts.every((t) => t.flags & F.StringLike)) return 'string';
  if (parts.some((t) => t.flags & (F.Any | F.Unknown | F.TypeParameter) || isErrorLike(t))) return undefined;
  if (parts.every((t) => t.flags & (F.NumberLike | F.BooleanLike | F.Null | F.Undefined | F.StringLike))) return 'other';
  return parts.every((t) => t.flags & F.Object) ? 'object' : undefined;
}

/** Has `message` and `name` (the Error shape, covering subclasses and DOMException-like values). */
function isErrorLike(type: ts.Type): boolean {
  return !!type.getProperty('message') && !!type.getProperty('name');
}

function check(ctx: RuleContext, value: ts.Expression, how: 'throw' | 'Promise.reject'): void {
  const kind = nonErrorKind(ctx, value);
  if (!kind) return;
  const shown = shortText(ctx, value);
  const what = kind === 'string' ? 'a string' : kind === 'object' ? 'a plain object' : 'a value that is not an Error';
  ctx.report({
    node: value,
    message: `\`${how} ${shown}\` ${how === 'throw' ? 'throws' : 'rejects with'} ${what}: it has no stack trace and no \`message\`; ${kind === 'object' ? 'throw an Error subclass that carries these fields' : 'wrap it in `new Error(…)`'}.`,
    fixes: kind === 'string' ? () => [wrapFix(ctx, value)] : undefined,
  });
}

function wrapFix(ctx: RuleContext, value: ts.Expression): Fix {
  const text = value.getText(ctx.sourceFile);
  return {
    title: 'Wrap it in `new Error(…)`',
    isPreferred: true,
    // Code that catches it and compares the string (`err === 'timeout'`) would see an Error now.
    safe: false,
    edits: [{ fileName: ctx.fileName, start: value.getStart(ctx.sourceFile), end: value.getEnd(), newText: `new Error(${text})` }],
  };
}
