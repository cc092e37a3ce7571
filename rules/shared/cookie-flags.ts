// The three attributes that keep a session cookie out of reach: `httpOnly` (no script
// can read it), `secure` (never sent over plain HTTP) and `sameSite` (not sent on
// cross-site requests). Which of them an options object leaves weak, and the edits
// that add them.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../api';
import { skipOuter } from './callee';
import { optionValue, type ResolvedObject } from './cookie-options';
import { fileStyle } from './logger';

export type CookieFlag = 'httpOnly' | 'secure' | 'sameSite';

export const COOKIE_FLAGS: readonly CookieFlag[] = ['httpOnly', 'secure', 'sameSite'];

export interface FlagDefaults {
  /** express-session and cookie-session make their cookie httpOnly unless told otherwise; `res.cookie` does not. */
  readonly httpOnly: boolean;
}

/** The flags `options` leaves off or sets to `false`; a value computed at run time (`secure: isProduction`) counts as set. */
export function weakFlags(ctx: RuleContext, options: ResolvedObject | undefined, defaults: FlagDefaults): CookieFlag[] {
  return COOKIE_FLAGS.filter((flag) => {
    const value = optionValue(ctx, options?.props.get(flag));
    if (value === 'false') return true;
    if (value === 'absent') return !(flag === 'httpOnly' && defaults.httpOnly);
    return false;
  });
}

/** `httpOnly: true, secure: true, sameSite: 'lax'` for the given flags, in the file's quote style. */
export function flagAssignments(ctx: RuleContext, flags: readonly CookieFlag[]): string[] {
  return flags.map((flag) => `${flag}: ${flagValueText(ctx, flag)}`);
}

function flagValueText(ctx: RuleContext, flag: CookieFlag): string {
  const q = fileStyle(ctx).quote;
  return flag === 'sameSite' ? `${q}lax${q}` : 'true';
}

/** `a: 1, b: 2` listed as one line in braces: `{ a: 1, b: 2 }`. */
export function objectText(items: readonly string[]): string {
  return `{ ${items.join(', ')} }`;
}

/** Edits making `flags` strong in `target`: an own `flag: false` is turned, a missing flag appended to the literal. */
export function strengthenEdits(ctx: RuleContext, target: ResolvedObject, flags: readonly CookieFlag[]): FileEdit[] {
  const { ts } = ctx;
  const edits: FileEdit[] = [];
  const appended: CookieFlag[] = [];
  const file = target.literal.getSourceFile();
  for (const flag of flags) {
    const own = target.literal.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(file).replace(/['"]/g, '') === flag);
    if (own && target.props.get(flag) === own.initializer) {
      const value = skipOuter(ts, own.initializer);
      edits.push({ fileName: file.fileName, start: value.getStart(file), end: value.getEnd(), newText: flagValueText(ctx, flag) });
    } else {
      appended.push(flag);
    }
  }
  if (appended.length) edits.push(appendPropertiesEdit(target.literal, flagAssignments(ctx, appended)));
  return edits;
}

/** Adds `items` after the literal's last property, following its layout (one line, or one property per line). */
export function appendPropertiesEdit(literal: ts.ObjectLiteralExpression, items: readonly string[]): FileEdit {
  const file = literal.getSourceFile();
  const text = file.text;
  const props = literal.properties;
  if (props.length === 0) return { fileName: file.fileName, start: literal.getStart(file), end: literal.getEnd(), newText: objectText(items) };
  const last = props[props.length - 1];
  const open = literal.getStart(file);
  const multiLine = text.slice(open, last.getStart(file)).includes('\n');
  if (!multiLine) return { fileName: file.fileName, start: last.getEnd(), end: last.getEnd(), newText: items.map((i) => `, ${i}`).join('') };
  const lineStart = text.lastIndexOf('\n', last.getStart(file) - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  return { fileName: file.fileName, start: last.getEnd(), end: last.getEnd(), newText: items.map((i) => `,\n${indent}${i}`).join('') };
}

/** Replaces an options expression that is not a literal by a literal spreading it: `{ ...opts, secure: true }`. */
export function spreadWithFlagsEdit(ctx: RuleContext, expr: ts.Expression, flags: readonly CookieFlag[]): FileEdit {
  return { fileName: ctx.fileName, start: expr.getStart(ctx.sourceFile), end: expr.getEnd(), newText: objectText([`...${expr.getText(ctx.sourceFile)}`, ...flagAssignments(ctx, flags)]) };
}

/** `httpOnly`, `secure` and `sameSite` → "`httpOnly`, `secure` and `sameSite`". */
export function listFlags(flags: readonly string[]): string {
  const named = flags.map((f) => `\`${f}\``);
  return named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
}
