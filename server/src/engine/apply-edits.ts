// Applies a fix's text edits to file contents in memory. Edits to one file must not
// overlap; a fix whose edits do would corrupt the file, so it is refused whole.
import type { FileEdit, Fix } from '../../../rules/api';

export class OverlappingEditsError extends Error {}

export function applyEditsToText(text: string, edits: readonly Pick<FileEdit, 'start' | 'end' | 'newText'>[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let lastStart = Number.POSITIVE_INFINITY;
  for (const e of sorted) {
    if (e.start < 0 || e.end < e.start || e.end > text.length) throw new OverlappingEditsError(`edit ${e.start}-${e.end} is outside the text`);
    if (e.end > lastStart) throw new OverlappingEditsError(`edits overlap at ${e.start}-${e.end}`);
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}

/** Groups a fix's edits per file and applies them; `read` gives current texts (undefined for a new file). */
export function applyFix(fix: Fix, read: (file: string) => string | undefined): Map<string, string> {
  const byFile = new Map<string, FileEdit[]>();
  for (const e of fix.edits) byFile.set(e.fileName, [...(byFile.get(e.fileName) ?? []), e]);
  const out = new Map<string, string>();
  for (const [file, edits] of byFile) {
    const current = read(file);
    if (current === undefined && !edits.every((e) => e.create)) throw new OverlappingEditsError(`${file} does not exist`);
    out.set(file, applyEditsToText(current ?? '', edits));
  }
  return out;
}
