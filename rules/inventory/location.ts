// Where things are, for the matrix's links: nodes to SourceLocations (through the
// engine's own offset-to-range conversion), and a RuleContext re-aimed at another
// file of the same program for analyses that read the text of "their" file.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { rangeIn } from '../../server/src/engine/runner';
import type { SourceLocation } from './types';

export function locationOf(node: ts.Node, start?: number): SourceLocation {
  const sf = node.getSourceFile();
  return { fileName: sf.fileName, range: rangeIn(sf, start ?? node.getStart(sf), node.getEnd()) };
}

/** A handler's location: from its first keyword or name, so a Nest method's decorators are not its first line. */
export function handlerLocation(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): SourceLocation {
  const { ts } = ctx;
  const modifiers = ts.canHaveModifiers(fn) ? (fn.modifiers ?? []) : [];
  if (!modifiers.some((m) => ts.isDecorator(m))) return locationOf(fn);
  const first = modifiers.find((m) => !ts.isDecorator(m)) ?? fn.name ?? fn;
  return locationOf(fn, first.getStart());
}

/** The same context looking at `sf` (shared/* analyses read the text of ctx.sourceFile). */
export function contextFor(ctx: RuleContext, sf: ts.SourceFile): RuleContext {
  if (sf === ctx.sourceFile) return ctx;
  return Object.create(ctx, { sourceFile: { value: sf }, fileName: { value: sf.fileName } }) as RuleContext;
}

/** Code on one line, shortened, for a cell's note. */
export function codeLabel(node: ts.Node): string {
  const text = node.getText(node.getSourceFile()).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
