// The verdict on one query: can some filtered field use an index that starts
// with it? A relation filter goes through the relation's join columns on this
// model (indexed only if declared); the back side of a relation joins through
// the referenced key, which is unique. Unknown fields and opaque filters are
// never reported.
import { isLeadingIndexed, type ModelInfo } from '../../shared/schema/model';
import { indexOrder, type FieldUse, type Filter } from './filter';

export interface Unindexed {
  /** The filtered names as written in the query (`email`, `author`). */
  readonly filtered: readonly string[];
  /** The fields an index should cover: equality ones, then the sort field, then ranges (`authorId` for `author`). */
  readonly indexFields: readonly string[];
  /** The field a paginated query sorts on, when the index should also serve the sort. */
  readonly sort?: string;
}

/**
 * `sort` is the scalar field of a paginated query's `orderBy`: when the filter is unindexed, one
 * index can then serve both, so the database reads the first page in order and stops.
 */
export function unindexedFilter(model: ModelInfo, filter: Filter, sort?: string): Unindexed | undefined {
  if (filter.opaque || filter.fields.length === 0) return undefined;
  const wanted: { name: string; use: FieldUse }[] = [];
  for (const f of filter.fields) {
    const info = model.fields.get(f.name);
    if (!info) return undefined;
    const rel = info.relation;
    if (rel && rel.localFields.length === 0) return undefined;
    const key = rel ? rel.localFields[0] : f.name;
    if (isLeadingIndexed(model, key)) return undefined;
    for (const name of rel ? rel.localFields : [f.name]) wanted.push({ name, use: f.use });
  }
  // An index led by the sort field returns rows in order: the database walks it and filters as it goes.
  if (sort !== undefined && isLeadingIndexed(model, sort)) return undefined;
  const filtered = [...new Set(filter.fields.map((f) => f.name))];
  const sortable = sort !== undefined && model.fields.has(sort) && !model.fields.get(sort)?.relation ? sort : undefined;
  return { filtered, indexFields: indexOrder(wanted, sortable), sort: sortable };
}

/** "`User.email`", "`Order.status` and `Order.createdAt`". */
export function describeFields(model: ModelInfo, names: readonly string[]): string {
  const parts = names.map((n) => `\`${model.name}.${n}\``);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** "filters on `Order.status` and sorts on `Order.createdAt`" (the sort named only when it adds a field). */
export function describeQuery(model: ModelInfo, verb: string, u: Unindexed): string {
  const base = `${verb} ${describeFields(model, u.filtered)}`;
  return u.sort !== undefined && !u.filtered.includes(u.sort) ? `${base} and sorts on \`${model.name}.${u.sort}\`` : base;
}
