// Reading the options object a request is made with: `{ timeout, method, headers }`
// as property assignments or shorthands of an object literal.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../callee';

/** The property `name` of an object-literal argument, as a property assignment or shorthand. */
export function optionProperty(ctx: RuleContext, options: ts.Expression | undefined, name: string): ts.ObjectLiteralElementLike | undefined {
  const { ts } = ctx;
  const o = options && skipOuter(ts, options);
  if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
  return o.properties.find((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && propertyName(ts, p.name) === name);
}

export function optionValue(ctx: RuleContext, options: ts.Expression | undefined, name: string): ts.Expression | undefined {
  const p = optionProperty(ctx, options, name);
  if (!p) return undefined;
  if (ctx.ts.isPropertyAssignment(p)) return p.initializer;
  if (ctx.ts.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

export function propertyName(ts: RuleContext['ts'], name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** `0`: axios's and node's spelling of "no timeout". */
export function isZero(ts: RuleContext['ts'], e: ts.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isNumericLiteral(x) && Number(x.text) === 0;
}
