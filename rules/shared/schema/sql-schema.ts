// The tables and indexes a project's SQL migrations build, replayed in file order
// (so a later `DROP INDEX` removes an earlier index). Migrations are `.sql` files
// or TypeScript/JavaScript migrations whose string literals hold the DDL
// (TypeORM's `queryRunner.query("CREATE INDEX …")`).
import type { ts } from 'ts-morph';
import { cachedParse } from './cache';
import { readDdl, isIndexDdl, type DdlEvent } from './ddl';
import type { FieldInfo, IndexInfo, ModelInfo, SchemaLocation } from './model';
import { fieldByColumn } from './model';
import { splitStatements } from './sql-text';

export interface SqlIndex {
  readonly columns: readonly (string | null)[];
  readonly kind: 'primary' | 'unique' | 'index';
  readonly name?: string;
  readonly fileName: string;
}

export interface SqlTable {
  /** As written in the `CREATE TABLE` that made it. */
  readonly name: string;
  readonly columns: readonly string[];
  readonly indexes: readonly SqlIndex[];
  readonly location: SchemaLocation;
}

export interface SqlSchema {
  /** By lower-cased table name. */
  readonly tables: ReadonlyMap<string, SqlTable>;
  /** The migration files read, in the order they apply. */
  readonly files: readonly string[];
}

interface LocatedEvent {
  readonly event: DdlEvent;
  readonly start: number;
  readonly end: number;
}

export interface MigrationFile {
  readonly fileName: string;
  readonly events: readonly LocatedEvent[];
}

function eventsOfSql(text: string, offset = 0): LocatedEvent[] {
  const out: LocatedEvent[] = [];
  for (const s of splitStatements(text)) {
    for (const event of readDdl(s.text)) out.push({ event, start: offset + s.start, end: offset + s.start + s.text.length });
  }
  return out;
}

/** The index events of a `.sql` migration. */
export function readSqlMigration(fileName: string, text: string): MigrationFile {
  return cachedParse('sql-migration', fileName, text, () => ({ fileName, events: eventsOfSql(text) }));
}

/** The index events in the string literals of a TypeScript/JavaScript migration. */
export function readCodeMigration(tsApi: typeof ts, fileName: string, text: string): MigrationFile {
  return cachedParse('code-migration', fileName, text, () => {
    const events: LocatedEvent[] = [];
    // Cheap pre-check: most code files under a migrations folder hold no raw DDL.
    if (!/\b(?:CREATE|ALTER|DROP)\b/i.test(text)) return { fileName, events };
    const sf = tsApi.createSourceFile(fileName, text, tsApi.ScriptTarget.Latest, false);
    const visit = (node: ts.Node): void => {
      if ((tsApi.isStringLiteral(node) || tsApi.isNoSubstitutionTemplateLiteral(node)) && isIndexDdl(node.text)) {
        // Offsets inside the literal are approximate; the statement's literal is what we point at.
        for (const e of eventsOfSql(node.text)) events.push({ event: e.event, start: node.getStart(sf), end: node.getEnd() });
      }
      tsApi.forEachChild(node, visit);
    };
    visit(sf);
    return { fileName, events };
  });
}

/** Replays migrations in order into tables and their indexes. */
export function buildSqlSchema(files: readonly MigrationFile[]): SqlSchema {
  const tables = new Map<string, { name: string; columns: string[]; indexes: SqlIndex[]; location: SchemaLocation }>();
  const tableOf = (name: string, fileName: string, start: number, end: number) => {
    const key = name.toLowerCase();
    let t = tables.get(key);
    if (!t) {
      t = { name, columns: [], indexes: [], location: { fileName, start, end } };
      tables.set(key, t);
    }
    return t;
  };
  for (const file of files) {
    for (const { event, start, end } of file.events) {
      switch (event.type) {
        case 'table': {
          // A table created twice (a schema dump and the migrations) keeps what both say it has.
          const t = tableOf(event.table, file.fileName, start, end);
          t.columns.push(...event.columns);
          for (const i of event.indexes) t.indexes.push({ ...i, fileName: file.fileName });
          break;
        }
        case 'index': {
          const t = tables.get(event.table.toLowerCase());
          if (t) t.indexes.push({ ...event.index, name: 'name' in event ? event.name : undefined, fileName: file.fileName });
          break;
        }
        case 'drop-index': {
          const wanted = event.name.toLowerCase();
          for (const t of tables.values()) t.indexes = t.indexes.filter((i) => i.name?.toLowerCase() !== wanted);
          break;
        }
        case 'drop-table':
          tables.delete(event.table.toLowerCase());
          break;
      }
    }
  }
  return { tables, files: files.map((f) => f.fileName) };
}

/** A table as a model of its own (for raw SQL queries): fields are columns. */
export function tableModel(table: SqlTable): ModelInfo {
  const fields = new Map<string, FieldInfo>(table.columns.map((c) => [c, { name: c, column: c }]));
  const indexes: IndexInfo[] = [];
  for (const i of table.indexes) {
    const cols = leadingKnown(i.columns);
    if (cols.length > 0) indexes.push({ fields: cols, kind: i.kind, fileName: i.fileName });
  }
  return { kind: 'sql', name: table.name, table: table.name, fields, indexes, location: table.location };
}

/** The indexes migrations give `model`'s table, in terms of the model's field names. */
export function migrationIndexesFor(model: ModelInfo, schema: SqlSchema | undefined): IndexInfo[] {
  const table = schema?.tables.get(model.table.toLowerCase());
  if (!table) return [];
  const out: IndexInfo[] = [];
  for (const i of table.indexes) {
    const fields: string[] = [];
    for (const c of i.columns) {
      const f = c === null ? undefined : fieldByColumn(model, c);
      if (!f) break;
      fields.push(f.name);
    }
    if (fields.length > 0) out.push({ fields, kind: i.kind, fileName: i.fileName });
  }
  return out;
}

function leadingKnown(columns: readonly (string | null)[]): string[] {
  const out: string[] = [];
  for (const c of columns) {
    if (c === null) break;
    out.push(c);
  }
  return out;
}
