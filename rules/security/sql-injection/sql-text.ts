// Reads SQL text that has holes in it (the interpolations of a template) well enough to
// say where each hole sits: a value (`= ${x}`, `'${x}'`, `IN (${a}, ${b})`) that a bound
// parameter can replace, or a name/keyword/fragment position (`FROM ${t}`, `ORDER BY c
// ${dir}`, `WHERE ${cond}`) that no parameter can fill. It also counts the placeholders
// already present. A tokenizer, not a parser: anything it does not follow is 'unknown'.

/**
 * 'fragment': where a clause or expression of SQL goes (`WHERE ${cond}`, the start of the
 * text): the hole holds SQL, not a value.
 */
export type HolePosition = 'value' | 'quoted-value' | 'limit' | 'name' | 'fragment' | 'unknown';

export type SqlSegment = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'hole'; readonly id: number };

/** A value the rewrite moves out of the text: one hole, or a quoted literal made of text and holes (`'%${q}%'`). */
export interface ValueOut {
  readonly quoted: boolean;
  readonly content: readonly SqlSegment[];
  /** Existing positional placeholders (`?`) before it, to insert its value at the right index. */
  readonly questionsBefore: number;
}

export type SqlOut = SqlSegment | { readonly kind: 'value'; readonly value: ValueOut };

export interface SqlScan {
  readonly positions: ReadonlyMap<number, HolePosition>;
  /** `?` (and knex `??`) placeholders outside quotes. */
  readonly questionMarks: number;
  readonly questionMarkInQuotes: boolean;
  /** Highest `$n` outside quotes (0 when none). */
  readonly maxDollar: number;
  /** `:name` placeholders outside quotes. */
  readonly namedParams: ReadonlySet<string>;
  /** Dollar-quoted bodies or backslash escapes before quotes: positions are not trusted. */
  readonly unsure: boolean;
  /** The text rewritten: holes in `parameterise` become values, the others stay; undefined when one is not in a value position. */
  rewrite(parameterise: ReadonlySet<number>, accept?: (id: number, position: HolePosition) => boolean): SqlOut[] | undefined;
}

type TokKind = 'word' | 'number' | 'op' | 'open' | 'close' | 'comma' | 'dot' | 'quoted' | 'ident-quoted' | 'hole' | 'question' | 'dollar' | 'named' | 'comment' | 'other';

interface Tok {
  readonly kind: TokKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const MARK = 0xe000;
const COMPARISON = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '==']);
const VALUE_KEYWORDS = new Set(['LIKE', 'ILIKE', 'THEN', 'ELSE', 'BETWEEN']);
const LIST_OPENERS = new Set(['IN', 'VALUES', 'ANY', 'ALL']);
const NAME_KEYWORDS = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'BY', 'SELECT', 'AS', 'DISTINCT', 'ASC', 'DESC', 'RETURNING']);
const FRAGMENT_KEYWORDS = new Set(['WHERE', 'AND', 'OR', 'ON', 'HAVING', 'NOT', 'SET', 'WHEN', 'CASE', 'EXISTS', 'UNION', 'IS', 'WITH', 'USING', 'END']);
const TYPED_LITERAL = new Set(['INTERVAL', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMPTZ', 'E', 'N', 'B', 'X', 'U&']);

const isMark = (c: string) => c.charCodeAt(0) >= MARK && c.charCodeAt(0) < MARK + 0x1000;
const isWordStart = (c: string) => /[A-Za-z_]/.test(c);
const isWordChar = (c: string) => /[A-Za-z0-9_$]/.test(c);

function splitHoles(text: string): SqlSegment[] {
  const out: SqlSegment[] = [];
  let buf = '';
  for (const c of text) {
    if (isMark(c)) {
      if (buf) out.push({ kind: 'text', text: buf });
      buf = '';
      out.push({ kind: 'hole', id: c.charCodeAt(0) - MARK });
    } else buf += c;
  }
  if (buf) out.push({ kind: 'text', text: buf });
  return out;
}

function tokenize(s: string): { toks: Tok[]; unsure: boolean } {
  const toks: Tok[] = [];
  let unsure = false;
  let i = 0;
  const push = (kind: TokKind, start: number, end: number) => toks.push({ kind, start, end, text: s.slice(start, end) });
  while (i < s.length) {
    const c = s[i];
    const start = i;
    if (/\s/.test(c)) i++;
    else if (c === '-' && s[i + 1] === '-') {
      while (i < s.length && s[i] !== '\n') i++;
      push('comment', start, i);
    } else if (c === '/' && s[i + 1] === '*') {
      const close = s.indexOf('*/', i + 2);
      i = close === -1 ? s.length : close + 2;
      push('comment', start, i);
    } else if (c === "'" || c === '"' || c === '`') {
      i++;
      for (;;) {
        if (i >= s.length) break;
        if (s[i] === c && s[i + 1] === c) i += 2;
        else if (s[i] === c) {
          if (s[i - 1] === '\\') unsure = true;
          i++;
          break;
        } else i++;
      }
      push(c === "'" ? 'quoted' : 'ident-quoted', start, i);
    } else if (c === '$' && /\d/.test(s[i + 1] ?? '')) {
      i++;
      while (/\d/.test(s[i] ?? '')) i++;
      push('dollar', start, i);
    } else if (c === '$') {
      // `$$ … $$` / `$tag$ … $tag$`: a body we do not read.
      unsure = true;
      i++;
      push('other', start, i);
    } else if (c === '?' && s[i - 1] !== '\\') {
      i += s[i + 1] === '?' ? 2 : 1;
      push('question', start, i);
    } else if (c === ':' && s[i + 1] === ':') {
      i += 2;
      push('op', start, i);
    } else if (c === ':' && isWordStart(s[i + 1] ?? '')) {
      i++;
      while (isWordChar(s[i] ?? '')) i++;
      push('named', start, i);
    } else if (isMark(c)) {
      i++;
      push('hole', start, i);
    } else if (isWordStart(c)) {
      while (i < s.length && isWordChar(s[i])) i++;
      push('word', start, i);
    } else if (/\d/.test(c)) {
      while (/[\d.]/.test(s[i] ?? '')) i++;
      push('number', start, i);
    } else if (c === '(') push('open', start, ++i);
    else if (c === ')') push('close', start, ++i);
    else if (c === ',') push('comma', start, ++i);
    else if (c === '.') push('dot', start, ++i);
    else if (/[=<>!|&+\-*/%~^@#]/.test(c)) {
      while (/[=<>!|&+\-*/%~^@#]/.test(s[i] ?? '')) i++;
      push('op', start, i);
    } else push('other', start, ++i);
  }
  return { toks, unsure };
}

const upper = (t: Tok | undefined) => (t && t.kind === 'word' ? t.text.toUpperCase() : '');

/** Reads `segments` (text and holes in order). Hole ids must be below 4096. */
export function scanSql(segments: readonly SqlSegment[]): SqlScan {
  const s = segments.map((seg) => (seg.kind === 'text' ? seg.text : String.fromCharCode(MARK + seg.id))).join('');
  const { toks, unsure } = tokenize(s);
  const positions = new Map<number, HolePosition>();
  const named = new Set<string>();
  let questionMarks = 0;
  let questionMarkInQuotes = false;
  let maxDollar = 0;
  const parens: string[] = [];
  const significant = toks.filter((t) => t.kind !== 'comment');
  significant.forEach((t, k) => {
    const prev = significant[k - 1];
    if (t.kind === 'open') parens.push(upper(prev));
    else if (t.kind === 'close') parens.pop();
    else if (t.kind === 'question') questionMarks++;
    else if (t.kind === 'dollar') maxDollar = Math.max(maxDollar, Number(t.text.slice(1)));
    else if (t.kind === 'named') named.add(t.text.slice(1));
    else if (t.kind === 'quoted' || t.kind === 'ident-quoted') {
      if (t.text.includes('?')) questionMarkInQuotes = true;
      const typed = TYPED_LITERAL.has(upper(prev)) && (prev.end === t.start || upper(prev) !== 'E');
      const where: HolePosition = t.kind === 'ident-quoted' ? 'name' : typed ? 'unknown' : 'quoted-value';
      for (const seg of splitHoles(t.text)) if (seg.kind === 'hole') positions.set(seg.id, where);
    } else if (t.kind === 'hole') positions.set(t.text.charCodeAt(0) - MARK, holePosition(significant, k, parens));
  });
  for (const t of toks) if (t.kind === 'comment') for (const seg of splitHoles(t.text)) if (seg.kind === 'hole') positions.set(seg.id, 'unknown');

  const rewrite = (parameterise: ReadonlySet<number>, accept = (_id: number, p: HolePosition) => p === 'value' || p === 'quoted-value'): SqlOut[] | undefined => {
    if (unsure) return undefined;
    for (const id of parameterise) if (!accept(id, positions.get(id) ?? 'unknown')) return undefined;
    const out: SqlOut[] = [];
    let cursor = 0;
    let questions = 0;
    for (const t of toks) {
      if (t.kind === 'question') questions++;
      const holes = splitHoles(t.text).filter((x): x is { kind: 'hole'; id: number } => x.kind === 'hole');
      if (!holes.some((h) => parameterise.has(h.id))) continue;
      out.push(...splitHoles(s.slice(cursor, t.start)));
      if (t.kind === 'quoted') {
        const inner = t.text.slice(1, -1).replace(/''/g, "'");
        out.push({ kind: 'value', value: { quoted: true, content: splitHoles(inner), questionsBefore: questions } });
      } else out.push({ kind: 'value', value: { quoted: false, content: holes, questionsBefore: questions } });
      cursor = t.end;
    }
    out.push(...splitHoles(s.slice(cursor)));
    return out;
  };
  return { positions, questionMarks, questionMarkInQuotes, maxDollar, namedParams: named, unsure, rewrite };
}

function holePosition(toks: readonly Tok[], k: number, parens: readonly string[]): HolePosition {
  const hole = toks[k];
  const prev = toks[k - 1];
  const next = toks[k + 1];
  // Glued to a name (`user_${id}`, `${schema}.users`, `fn${x}(`): part of an identifier.
  if (next && next.start === hole.end && ['word', 'number', 'dot', 'open', 'quoted', 'ident-quoted', 'hole'].includes(next.kind)) return next.kind === 'hole' ? 'unknown' : 'name';
  if (!prev) return 'fragment';
  if (prev.end === hole.start && (prev.kind === 'word' || prev.kind === 'number' || prev.kind === 'hole' || prev.kind === 'quoted')) return 'name';
  if (prev.kind === 'dot') return 'name';
  if (prev.kind === 'op') return COMPARISON.has(prev.text) ? 'value' : 'unknown';
  if (prev.kind === 'open') return LIST_OPENERS.has(parens[parens.length - 1] ?? '') ? 'value' : 'fragment';
  if (prev.kind === 'comma') {
    const opener = parens[parens.length - 1];
    if (opener === undefined) return 'name';
    return LIST_OPENERS.has(opener) ? 'value' : 'unknown';
  }
  if (prev.kind !== 'word') return 'unknown';
  const word = upper(prev);
  if (VALUE_KEYWORDS.has(word)) return 'value';
  if (word === 'AND' && upper(toks[k - 3]) === 'BETWEEN') return 'value';
  if (word === 'LIMIT' || word === 'OFFSET') return 'limit';
  if (NAME_KEYWORDS.has(word)) return 'name';
  if (FRAGMENT_KEYWORDS.has(word)) return 'fragment';
  // After a plain word: `ORDER BY name ${dir}` — a keyword or name goes here.
  return 'name';
}
