// Inline suppressions, found with TypeScript's scanner (a directive inside a string
// is not a comment):
//   // hardening-ignore-next-line <rule-id>[, <rule-id>…] -- <reason>
//   // hardening-ignore-file <rule-id>[, <rule-id>…] -- <reason>
// A directive without a reason, naming an unknown rule, or suppressing nothing is
// itself reported, so suppressions cannot silently rot.
import { ts } from 'ts-morph';
import { LineIndex } from './line-index';

export const SUPPRESSION_PREFIX = 'hardening-ignore-';

export interface Suppression {
  readonly kind: 'next-line' | 'file';
  readonly ruleIds: readonly string[];
  readonly reason: string;
  /** Offsets of the comment. */
  readonly start: number;
  readonly end: number;
  /** 0-based line the comment is on. */
  readonly line: number;
}

export interface MalformedSuppression {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

const DIRECTIVE = /^(?:\/\/|\/\*)\s*hardening-ignore-(next-line|file)\b(.*?)(?:\*\/)?\s*$/s;

export function findSuppressions(
  text: string,
  isKnownRule: (id: string) => boolean,
): { suppressions: Suppression[]; malformed: MalformedSuppression[] } {
  const suppressions: Suppression[] = [];
  const malformed: MalformedSuppression[] = [];
  if (!text.includes(SUPPRESSION_PREFIX)) return { suppressions, malformed };

  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /*skipTrivia*/ false, ts.LanguageVariant.JSX, text);
  const lines = new LineIndex(text);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind !== ts.SyntaxKind.SingleLineCommentTrivia && kind !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
    const start = scanner.getTokenStart();
    const end = scanner.getTokenEnd();
    const match = DIRECTIVE.exec(text.slice(start, end));
    if (!match) continue;
    const [head, reason = ''] = match[2].split(/\s--\s?|^--\s?/, 2);
    const ruleIds = head.split(/[\s,]+/).filter(Boolean);
    const unknown = ruleIds.filter((id) => !isKnownRule(id));
    if (ruleIds.length === 0) {
      malformed.push({ start, end, message: `Suppression names no rule: write \`hardening-ignore-${match[1]} <rule-id> -- <reason>\`.` });
      continue;
    }
    if (unknown.length > 0) {
      malformed.push({ start, end, message: `Suppression names unknown rule ${unknown.map((u) => `\`${u}\``).join(', ')}: use a rule id from \`harden rules\`.` });
      continue;
    }
    if (reason.trim() === '') {
      malformed.push({ start, end, message: `Suppression of ${ruleIds.map((u) => `\`${u}\``).join(', ')} gives no reason: add \`-- <why this is safe>\` so reviewers can judge it.` });
      continue;
    }
    const line = lines.lineOf(start);
    suppressions.push({ kind: match[1] === 'file' ? 'file' : 'next-line', ruleIds, reason: reason.trim(), start, end, line });
  }
  return { suppressions, malformed };
}

/** Which suppression, if any, covers a finding of `ruleId` starting on `line`. */
export function coveringSuppression(
  suppressions: readonly Suppression[],
  ruleId: string,
  line: number,
): Suppression | undefined {
  return suppressions.find(
    (s) => s.ruleIds.includes(ruleId) && (s.kind === 'file' || s.line + 1 === line),
  );
}
