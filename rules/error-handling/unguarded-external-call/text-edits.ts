// Collects a fix's insertions and replacements in one file. Insertions at the same
// offset are joined in the order they were added, so several parts of a fix
// (a `try {` line, its indentation, a wrapped call) can meet at one position
// without producing edits the engine would refuse as overlapping.
import type { FileEdit } from '../../api';

export class TextEdits {
  private readonly inserts = new Map<number, string[]>();
  private readonly replacements: { start: number; end: number; newText: string }[] = [];

  constructor(private readonly fileName: string) {}

  insert(at: number, text: string): void {
    const list = this.inserts.get(at) ?? [];
    list.push(text);
    this.inserts.set(at, list);
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
