// Moves published ranges through the text edits that followed them, so the
// type-aware diagnostics of the last full run can stay in place (instead of
// flickering away) while the new version's fast syntactic findings are published.
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver/node';

function endOfInsertedText(start: Position, text: string): Position {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length === 1) return { line: start.line, character: start.character + text.length };
  return { line: start.line + lines.length - 1, character: lines[lines.length - 1].length };
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function shiftPosition(p: Position, start: Position, end: Position, newEnd: Position): Position {
  if (before(p, start)) return p;
  // Inside the replaced text: the old position no longer exists; collapse to the edit's start.
  if (!before(end, p)) return start;
  if (p.line === end.line) return { line: newEnd.line, character: newEnd.character + (p.character - end.character) };
  return { line: p.line + (newEnd.line - end.line), character: p.character };
}

/** `range` after `changes` (applied in order, as LSP sends them); undefined when the whole text was replaced. */
export function shiftRange(range: Range, changes: readonly TextDocumentContentChangeEvent[]): Range | undefined {
  let current = range;
  for (const change of changes) {
    if (!('range' in change) || !change.range) return undefined;
    const { start, end } = change.range;
    const newEnd = endOfInsertedText(start, change.text);
    current = { start: shiftPosition(current.start, start, end, newEnd), end: shiftPosition(current.end, start, end, newEnd) };
  }
  return current;
}
