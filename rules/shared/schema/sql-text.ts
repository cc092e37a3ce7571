// Lexing SQL text the way a database does, for what a parser does not give us:
// splitting a migration file into statements (strings, quoted identifiers,
// comments and Postgres dollar quotes can all contain `;`) and tokens for the
// fallback reader of statements the SQL parser cannot parse.

export interface Statement {
  readonly text: string;
  /** Offset of the statement's first character in the file. */
  readonly start: number;
}

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** Words are upper-cased for keyword matching; quoted identifiers keep their case, without quotes. */
  readonly value: string;
  /** The identifier as written (unquoted, original case) for words and quoted identifiers. */
  readonly raw: string;
  readonly start: number;
}

/** Length of the comment, string, quoted identifier or dollar-quoted body starting at `i`, or 0. */
function skipOpaque(text: string, i: number): number {
  const c = text[i];
  const next = text[i + 1];
  if (c === '-' && next === '-') {
    const end = text.indexOf('\n', i);
    return (end === -1 ? text.length : end) - i;
  }
  if (c === '#' && /^#(?:\s|$)/.test(text.slice(i, i + 2))) {
    const end = text.indexOf('\n', i);
    return (end === -1 ? text.length : end) - i;
  }
  if (c === '/' && next === '*') {
    const end = text.indexOf('*/', i + 2);
    return (end === -1 ? text.length : end + 2) - i;
  }
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1;
    while (j < text.length) {
      if (text[j] === '\\' && c === "'") j += 2;
      else if (text[j] === c && text[j + 1] === c) j += 2;
      else if (text[j] === c) return j + 1 - i;
      else j++;
    }
    return text.length - i;
  }
  if (c === '$') {
    const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i, i + 64));
    if (tag) {
      const end = text.indexOf(tag[0], i + tag[0].length);
      return (end === -1 ? text.length : end + tag[0].length) - i;
    }
  }
  return 0;
}

/** The statements of a SQL file, split at top-level semicolons; empty ones are dropped. */
export function splitStatements(text: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    if (raw.trim() !== '') out.push({ text: raw.trim(), start: start + lead });
  };
  for (let i = 0; i < text.length; ) {
    const skip = skipOpaque(text, i);
    if (skip > 0) {
      i += skip;
      continue;
    }
    if (text[i] === ';') {
      push(i);
      start = i + 1;
    }
    i++;
  }
  push(text.length);
  return out;
}

/** Tokens of one statement; comments are dropped. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < sql.length; ) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const skip = skipOpaque(sql, i);
    if (skip > 0) {
      const body = sql.slice(i, i + skip);
      if (c === '"' || c === '`') {
        const inner = body.slice(1, -1).split(c + c).join(c);
        out.push({ kind: 'quoted', value: inner, raw: inner, start: i });
      } else if (c === "'" || c === '$') out.push({ kind: 'string', value: body, raw: body, start: i });
      i += skip;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i, i + 256));
    if (word) {
      out.push({ kind: 'word', value: word[0].toUpperCase(), raw: word[0], start: i });
      i += word[0].length;
      continue;
    }
    const num = /^[0-9][0-9.]*/.exec(sql.slice(i, i + 64));
    if (num) {
      out.push({ kind: 'number', value: num[0], raw: num[0], start: i });
      i += num[0].length;
      continue;
    }
    out.push({ kind: 'punct', value: c, raw: c, start: i });
    i++;
  }
  return out;
}

/** The first words of a statement, upper-cased (`CREATE UNIQUE INDEX`), for cheap dispatch. */
export function leadingWords(sql: string, count: number): string[] {
  const out: string[] = [];
  for (const t of tokenize(sql.slice(0, 200))) {
    if (t.kind !== 'word' || out.length === count) break;
    out.push(t.value);
  }
  return out;
}
