// DDL statements as index events: `CREATE TABLE` (columns, primary key, unique
// constraints), `CREATE [UNIQUE] INDEX`, `ALTER TABLE … ADD CONSTRAINT`, `DROP
// INDEX`, `DROP TABLE`. Read with node-sql-parser (Postgres, then MySQL grammar);
// statements it rejects go to the token reader. Anything else is ignored.
import { readDdlTokens } from './ddl-tokens';
import { leadingWords, tokenize } from './sql-text';
import { sqlParser, type SqlDialect } from './sql-parser';

export interface DdlIndex {
  /** Columns in order; null where the index has an expression we could not read. */
  readonly columns: readonly (string | null)[];
  readonly kind: 'primary' | 'unique' | 'index';
}

export type DdlEvent =
  | { readonly type: 'table'; readonly table: string; readonly columns: readonly string[]; readonly indexes: readonly DdlIndex[] }
  | { readonly type: 'index'; readonly table: string; readonly name?: string; readonly index: DdlIndex }
  | { readonly type: 'drop-index'; readonly name: string }
  | { readonly type: 'drop-table'; readonly table: string };

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `users` from { table: 'users' } or [{ table: 'users' }]. */
function tableName(v: unknown): string | undefined {
  return str(obj(arr(v)[0])?.table);
}

/** The column a `column_ref` (or a function over one, `lower(email)`) names. */
function columnOf(v: unknown): string | null {
  const ref = obj(v);
  if (!ref) return null;
  if (ref.type === 'column_ref') {
    const col = ref.column;
    if (typeof col === 'string') return col;
    return str(obj(obj(col)?.expr)?.value) ?? null;
  }
  if (ref.type === 'function') return columnOf(arr(obj(ref.args)?.value)[0]);
  return null;
}

function indexKind(constraintType: unknown): DdlIndex['kind'] | undefined {
  const t = str(constraintType)?.toLowerCase() ?? '';
  if (t.startsWith('primary')) return 'primary';
  if (t.startsWith('unique')) return 'unique';
  if (t === 'index' || t === 'key') return 'index';
  return undefined;
}

/** A table-level definition: a constraint or a MySQL `KEY`/`INDEX`. */
function definitionIndex(def: Json): DdlIndex | undefined {
  const kind = def.resource === 'index' ? 'index' : indexKind(def.constraint_type);
  if (!kind) return undefined;
  return { columns: arr(def.definition).map(columnOf), kind };
}

function fromAst(ast: Json): DdlEvent[] | undefined {
  const keyword = str(ast.keyword)?.toLowerCase();
  if (ast.type === 'create' && keyword === 'table') {
    const table = tableName(ast.table);
    if (!table) return undefined;
    const columns: string[] = [];
    const indexes: DdlIndex[] = [];
    for (const d of arr(ast.create_definitions)) {
      const def = obj(d);
      if (!def) continue;
      if (def.resource === 'column') {
        const name = columnOf(def.column);
        if (!name) continue;
        columns.push(name);
        if (def.primary_key) indexes.push({ columns: [name], kind: 'primary' });
        if (def.unique) indexes.push({ columns: [name], kind: 'unique' });
      } else {
        const index = definitionIndex(def);
        if (index) indexes.push(index);
      }
    }
    return [{ type: 'table', table, columns, indexes }];
  }
  if (ast.type === 'create' && keyword === 'index') {
    const table = tableName(ast.table);
    if (!table) return undefined;
    const kind = str(ast.index_type)?.toLowerCase() === 'unique' ? 'unique' : 'index';
    return [{ type: 'index', table, name: str(ast.index), index: { columns: arr(ast.index_columns).map(columnOf), kind } }];
  }
  if (ast.type === 'alter') {
    const table = tableName(ast.table);
    if (!table) return undefined;
    const out: DdlEvent[] = [];
    for (const e of arr(ast.expr)) {
      const action = obj(e);
      if (action?.action !== 'add') continue;
      const def = obj(action.create_definitions) ?? (action.resource === 'index' ? action : undefined);
      const index = def && definitionIndex(def);
      if (index) out.push({ type: 'index', table, index });
    }
    return out;
  }
  if (ast.type === 'drop' && keyword === 'index') {
    const name = columnOf(ast.name) ?? str(ast.name);
    return name ? [{ type: 'drop-index', name }] : [];
  }
  if (ast.type === 'drop' && keyword === 'table') {
    return arr(ast.name).flatMap((n) => {
      const table = str(obj(n)?.table);
      return table ? [{ type: 'drop-table' as const, table }] : [];
    });
  }
  return undefined;
}

const DIALECTS: readonly SqlDialect[] = ['postgresql', 'mysql'];

/** Worth reading at all: only these statements change the indexes. */
export function isIndexDdl(sql: string): boolean {
  const [a, b, c, d] = leadingWords(sql, 4);
  if (a === 'CREATE') return b === 'TABLE' || b === 'INDEX' || (b === 'UNIQUE' && c === 'INDEX') || ['TEMPORARY', 'TEMP', 'UNLOGGED'].includes(b ?? '') || (b === 'OR' && d === 'TABLE');
  // Most ALTER TABLEs of a migration history add columns and foreign keys: skip those unparsed.
  if (a === 'ALTER') return b === 'TABLE' && addsIndex(sql);
  if (a === 'DROP') return b === 'INDEX' || b === 'TABLE';
  return false;
}

function addsIndex(sql: string): boolean {
  const words = tokenize(sql).filter((t) => t.kind === 'word').map((t) => t.value);
  return words.some((w, i) => w === 'PRIMARY' || w === 'UNIQUE' || w === 'INDEX' || (w === 'KEY' && words[i - 1] !== 'FOREIGN'));
}

/** The index events of one DDL statement. */
export function readDdl(sql: string): DdlEvent[] {
  if (!isIndexDdl(sql)) return [];
  for (const dialect of DIALECTS) {
    const parser = sqlParser(dialect);
    if (!parser) break;
    let ast: unknown;
    try {
      ast = parser.astify(sql, { database: dialect });
    } catch {
      continue; // This grammar rejects it; try the next, then the token reader.
    }
    const events: DdlEvent[] = [];
    for (const a of arr(ast)) {
      const o = obj(a);
      const read = o && fromAst(o);
      // Parsed, but into a shape we do not know: the token reader may still make sense of it.
      if (!read) return readDdlTokens(sql);
      events.push(...read);
    }
    return events;
  }
  return readDdlTokens(sql);
}
