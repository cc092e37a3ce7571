// Text edits that take an option or a statement out of the code: the whole line when the
// node stands alone on its lines, otherwise just the node and its separating comma, so
// the object literal or block reads as if it had never been there.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../api';

/** Removes a property of an object literal. */
export function removePropertyEdit(ctx: RuleContext, prop: ts.ObjectLiteralElementLike): FileEdit {
  const sf = ctx.sourceFile;
  const obj = prop.parent as ts.ObjectLiteralExpression;
  const props = obj.properties;
  const i = props.indexOf(prop);
  const text = sf.text;
  let end = prop.getEnd();
  if (text[end] === ',') end++;
  const whole = wholeLines(text, prop.getStart(sf), end);
  if (whole) return { fileName: ctx.fileName, ...whole, newText: '' };
  if (props.length === 1) return { fileName: ctx.fileName, start: obj.getStart(sf) + 1, end: obj.getEnd() - 1, newText: '' };
  if (i < props.length - 1) return { fileName: ctx.fileName, start: prop.getStart(sf), end: props[i + 1].getStart(sf), newText: '' };
  // The last one: take the comma before it, keep a trailing comma's absence as it was.
  return { fileName: ctx.fileName, start: props[i - 1].getEnd(), end: prop.getEnd(), newText: '' };
}

/** Removes a statement, with its line when it stands alone. */
export function removeStatementEdit(ctx: RuleContext, statement: ts.Statement): FileEdit {
  const sf = ctx.sourceFile;
  const whole = wholeLines(sf.text, statement.getStart(sf), statement.getEnd());
  return { fileName: ctx.fileName, ...(whole ?? { start: statement.getStart(sf), end: statement.getEnd() }), newText: '' };
}

/** The full lines [start, end) covers, when nothing else is on them. */
function wholeLines(text: string, start: number, end: number): { start: number; end: number } | undefined {
  let lineStart = start;
  while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
  if (lineStart > 0 && text[lineStart - 1] !== '\n') return undefined;
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === ' ' || text[lineEnd] === '\t' || text[lineEnd] === '\r')) lineEnd++;
  if (lineEnd < text.length && text[lineEnd] !== '\n') return undefined;
  return { start: lineStart, end: Math.min(lineEnd + 1, text.length) };
}
