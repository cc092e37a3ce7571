// Decides before any parsing whether a file is worth analysing: huge, minified and
// binary files are skipped with a reason the user sees, instead of stalling the
// server or producing nonsense findings.

export interface SkipReason {
  readonly reason: string;
}

const MINIFIED_LINE_LENGTH = 1000;
const MINIFIED_AVERAGE_LINE_LENGTH = 300;

export function skipReason(text: string, byteSize: number, maxFileSizeKb: number): SkipReason | undefined {
  if (byteSize > maxFileSizeKb * 1024) {
    return { reason: `file is ${(byteSize / 1024 / 1024).toFixed(1)} MB, over the ${maxFileSizeKb} KB limit (maxFileSizeKb in .hardening.json)` };
  }
  const head = text.slice(0, 8192);
  if (head.includes('\u0000') || countReplacementChars(head) > 8) {
    return { reason: 'file looks binary (NUL bytes or invalid UTF-8)' };
  }
  if (looksMinified(text)) return { reason: 'file looks minified or generated (very long lines)' };
  return undefined;
}

function countReplacementChars(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\uFFFD'); i !== -1; i = s.indexOf('\uFFFD', i + 1)) n++;
  return n;
}

function looksMinified(text: string): boolean {
  if (text.length < 2 * MINIFIED_LINE_LENGTH) return false;
  let lines = 0;
  let longLines = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lines++;
    if (end - start > MINIFIED_LINE_LENGTH) longLines++;
    start = end + 1;
  }
  return text.length / lines > MINIFIED_AVERAGE_LINE_LENGTH || longLines / lines > 0.2;
}
