// How code is named in a message: its source text on one line, shortened.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';

/** Source text on one line, shortened for a message. */
export function shortText(ctx: RuleContext, node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 48 ? `${text.slice(0, 45)}…` : text;
}
