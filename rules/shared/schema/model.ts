// The project's data model as the rules see it, whatever declared it (a Prisma
// schema, TypeORM entities, Mongoose schemas, SQL migrations): models, their
// fields and the indexes the database will have (also Sequelize models). Shared by the query rules
// (unindexed-query, N+1, unbounded queries), so it carries no rule's policy.

export type SchemaKind = 'prisma' | 'typeorm' | 'mongoose' | 'sequelize' | 'sql';

/** A place in a schema file (offsets in its current text). */
export interface SchemaLocation {
  readonly fileName: string;
  readonly start: number;
  readonly end: number;
}

export interface RelationInfo {
  /** The related model's name. */
  readonly target: string;
  /** Scalar fields of this model that hold the foreign key; empty on the back side of a relation. */
  readonly localFields: readonly string[];
  /** True for the list side (`posts Post[]`, `@OneToMany`). */
  readonly list: boolean;
}

export interface FieldInfo {
  /** The name queries use (Prisma field, TypeORM property, Mongoose path such as `address.city`). */
  readonly name: string;
  /** The column (or document path) in the database. */
  readonly column: string;
  readonly relation?: RelationInfo;
  readonly location?: SchemaLocation;
}

export type IndexKind = 'primary' | 'unique' | 'index';

export interface IndexInfo {
  /** Field names in index order (the first is the leading column). */
  readonly fields: readonly string[];
  readonly kind: IndexKind;
  /** The file that declares it (a schema, an entity, a migration). */
  readonly fileName: string;
}

export interface ModelInfo {
  readonly kind: SchemaKind;
  /** The name code uses (`User`). */
  readonly name: string;
  /** The table or collection in the database (`users`). */
  readonly table: string;
  readonly fields: ReadonlyMap<string, FieldInfo>;
  readonly indexes: readonly IndexInfo[];
  /** Where the model is declared (its name in the schema file, the entity class, the schema call). */
  readonly location: SchemaLocation;
}

/** The fields that lead at least one index: a filter on any of them can use an index. */
export function leadingIndexedFields(model: ModelInfo): Set<string> {
  const out = new Set<string>();
  for (const index of model.indexes) if (index.fields.length > 0) out.add(index.fields[0]);
  return out;
}

/** True when some index starts with `field`. */
export function isLeadingIndexed(model: ModelInfo, field: string): boolean {
  return model.indexes.some((i) => i.fields[0] === field);
}

/** The field whose database column is `column` (case-insensitive, as SQL identifiers mostly are). */
export function fieldByColumn(model: ModelInfo, column: string): FieldInfo | undefined {
  const wanted = column.toLowerCase();
  for (const f of model.fields.values()) if (f.column.toLowerCase() === wanted) return f;
  return undefined;
}

/** A copy of `model` with more indexes (e.g. those a migration adds to an ORM's model). */
export function withIndexes(model: ModelInfo, extra: readonly IndexInfo[]): ModelInfo {
  return extra.length === 0 ? model : { ...model, indexes: [...model.indexes, ...extra] };
}
