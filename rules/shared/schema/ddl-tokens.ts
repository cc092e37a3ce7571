// The fallback reader of DDL statements the SQL parser rejects (dialect corners
// such as `GENERATED ALWAYS AS IDENTITY`, `CREATE INDEX CONCURRENTLY … INCLUDE`):
// it reads only what matters for indexes — tables, their columns, primary keys,
// unique constraints, indexes and dropped indexes — from the statement's tokens.
import type { DdlEvent, DdlIndex } from './ddl';
import { tokenize, type Token } from './sql-text';

const CONSTRAINT_STARTS = new Set(['PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK', 'EXCLUDE', 'CONSTRAINT', 'INDEX', 'KEY', 'FULLTEXT', 'SPATIAL']);

class Cursor {
  i = 0;
  constructor(readonly tokens: readonly Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  isWord(...words: string[]): boolean {
    const t = this.peek();
    return !!t && t.kind === 'word' && words.includes(t.value);
  }
  eat(...words: string[]): boolean {
    if (!this.isWord(...words)) return false;
    this.i++;
    return true;
  }
  eatSequence(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) {
      const t = this.peek(k);
      if (!t || t.kind !== 'word' || t.value !== words[k]) return false;
    }
    this.i += words.length;
    return true;
  }
  isPunct(p: string): boolean {
    const t = this.peek();
    return !!t && t.kind === 'punct' && t.value === p;
  }
  /** A possibly schema-qualified name; returns its last part. */
  name(): string | undefined {
    let last: string | undefined;
    for (;;) {
      const t = this.peek();
      if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) return last;
      last = t.raw;
      this.i++;
      if (!this.isPunct('.')) return last;
      this.i++;
    }
  }
  /** The tokens of a parenthesised group starting here, split at its top-level commas. */
  group(): Token[][] | undefined {
    if (!this.isPunct('(')) return undefined;
    const items: Token[][] = [[]];
    let depth = 0;
    for (; this.i < this.tokens.length; this.i++) {
      const t = this.tokens[this.i];
      if (t.kind === 'punct' && t.value === '(') {
        depth++;
        if (depth === 1) continue;
      } else if (t.kind === 'punct' && t.value === ')') {
        depth--;
        if (depth === 0) {
          this.i++;
          return items;
        }
      } else if (depth === 1 && t.kind === 'punct' && t.value === ',') {
        items.push([]);
        continue;
      }
      items[items.length - 1].push(t);
    }
    return items;
  }
}

/** Column names of an index/constraint column list; null for an expression such as `lower(email)`. */
function columnList(items: Token[][]): (string | null)[] {
  return items.map((item) => {
    const first = item[0];
    if (!first || (first.kind !== 'word' && first.kind !== 'quoted')) return null;
    const second = item[1];
    if (second && second.kind === 'punct' && second.value === '(') {
      // An expression index: count the column it wraps (`lower(email)`), as a conservative guess.
      const inner = item.slice(2).find((t) => t.kind === 'word' || t.kind === 'quoted');
      return inner ? inner.raw : null;
    }
    return first.raw;
  });
}

function constraint(c: Cursor): DdlIndex | undefined {
  if (c.eat('CONSTRAINT')) c.name();
  if (c.eatSequence('PRIMARY', 'KEY')) {
    const g = c.group();
    return g && { columns: columnList(g), kind: 'primary' };
  }
  if (c.eat('UNIQUE')) {
    c.eat('KEY', 'INDEX');
    if (!c.isPunct('(')) c.name();
    const g = c.group();
    return g && { columns: columnList(g), kind: 'unique' };
  }
  if (c.eat('INDEX', 'KEY')) {
    if (!c.isPunct('(')) c.name();
    const g = c.group();
    return g && { columns: columnList(g), kind: 'index' };
  }
  return undefined;
}

function createTable(c: Cursor): DdlEvent | undefined {
  c.eatSequence('IF', 'NOT', 'EXISTS');
  const table = c.name();
  const defs = c.group();
  if (!table || !defs) return undefined;
  const columns: string[] = [];
  const indexes: DdlIndex[] = [];
  for (const def of defs) {
    const first = def[0];
    if (!first) continue;
    if (first.kind === 'word' && CONSTRAINT_STARTS.has(first.value)) {
      const index = constraint(new Cursor(def));
      if (index) indexes.push(index);
      continue;
    }
    if (first.kind !== 'word' && first.kind !== 'quoted') continue;
    columns.push(first.raw);
    // Inline constraints sit outside the type's own parentheses (`numeric(10, 2) UNIQUE`).
    let depth = 0;
    for (let k = 1; k < def.length; k++) {
      const t = def[k];
      if (t.kind === 'punct') depth += t.value === '(' ? 1 : t.value === ')' ? -1 : 0;
      if (depth !== 0 || t.kind !== 'word') continue;
      if (t.value === 'PRIMARY' && def[k + 1]?.value === 'KEY') indexes.push({ columns: [first.raw], kind: 'primary' });
      if (t.value === 'UNIQUE') indexes.push({ columns: [first.raw], kind: 'unique' });
    }
  }
  return { type: 'table', table, columns, indexes };
}

function createIndex(c: Cursor, unique: boolean): DdlEvent | undefined {
  c.eat('CONCURRENTLY');
  c.eatSequence('IF', 'NOT', 'EXISTS');
  const name = c.isWord('ON') ? undefined : c.name();
  if (!c.eat('ON')) return undefined;
  c.eat('ONLY');
  const table = c.name();
  if (c.eat('USING')) c.name();
  const g = c.group();
  if (!table || !g) return undefined;
  return { type: 'index', table, name, index: { columns: columnList(g), kind: unique ? 'unique' : 'index' } };
}

function alterTable(c: Cursor): DdlEvent[] {
  c.eatSequence('IF', 'EXISTS');
  c.eat('ONLY');
  const table = c.name();
  if (!table) return [];
  const out: DdlEvent[] = [];
  // ADD [CONSTRAINT n] PRIMARY KEY (…) / UNIQUE (…) / INDEX n (…), possibly several, comma-separated.
  while (c.peek()) {
    if (c.eat('ADD')) {
      const index = constraint(c);
      if (index) out.push({ type: 'index', table, index });
      continue;
    }
    c.i++;
  }
  return out;
}

/** What a DDL statement does to indexes, read from its tokens; [] when it is none of our business. */
export function readDdlTokens(sql: string): DdlEvent[] {
  const c = new Cursor(tokenize(sql));
  if (c.eat('CREATE')) {
    c.eatSequence('OR', 'REPLACE');
    c.eat('TEMPORARY', 'TEMP', 'UNLOGGED');
    if (c.eat('TABLE')) {
      const e = createTable(c);
      return e ? [e] : [];
    }
    const unique = c.eat('UNIQUE');
    if (c.eat('INDEX')) {
      const e = createIndex(c, unique);
      return e ? [e] : [];
    }
    return [];
  }
  if (c.eatSequence('ALTER', 'TABLE')) return alterTable(c);
  if (c.eatSequence('DROP', 'INDEX')) {
    c.eat('CONCURRENTLY');
    c.eatSequence('IF', 'EXISTS');
    const name = c.name();
    return name ? [{ type: 'drop-index', name }] : [];
  }
  if (c.eatSequence('DROP', 'TABLE')) {
    c.eatSequence('IF', 'EXISTS');
    const table = c.name();
    return table ? [{ type: 'drop-table', table }] : [];
  }
  return [];
}
