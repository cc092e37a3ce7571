// Collects a fix's insertions and replacements in one file. Insertions at the same
// offset are joined in the order they were added, so several parts of a fix
// (a `try {` line, its indentation, a wrapped call) can meet at one position
// without producing edits the engine would refuse as overlapping.
import type { FileEdit } from '../../api';

export class TextEdits {
  private readonly inserts = new Map<number, string[]>();
  private readonly replacements: { start: number; end: number; newText: string }[] = [];

  constructor(private readonly fileName: string) {}

  /** `before`: ahead of what is already inserted at `at` (a `try {` line before the code it wraps). */
  insert(at: number, text: string, before = false): void {
    const list = this.inserts.get(at) ?? [];
    if (before) list.unshift(text);
    else list.push(text);
    this.inserts.set(at, list);
  }

  /** Code inserted so far strictly inside (start, end) gets `unit` more indentation on its new lines. */
  indentInsertedWithin(start: number, end: number, unit: string): void {
    for (const [at, texts] of this.inserts) {
      if (at > start && at < end) this.inserts.set(at, texts.map((t) => t.replace(/\n/g, `\n${unit}`)));
    }
  }

  replace(start: number, end: number, newText: string): void {
    this.replacements.push({ start, end, newText });
  }

  toFileEdits(): FileEdit[] {
    const out: FileEdit[] = this.replacements.map((r) => ({ fileName: this.fileName, ...r }));
    for (const [at, texts] of this.inserts) out.push({ fileName: this.fileName, start: at, end: at, newText: texts.join('') });
    return out.sort((a, b) => a.start - b.start);
  }
}
