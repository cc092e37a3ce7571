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
  /** The fields an index should cover, equality ones first (`authorId` for `author`). */
  readonly indexFields: readonly string[];
}

export function unindexedFilter(model: ModelInfo, filter: Filter): Unindexed | undefined {
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
  const filtered = [...new Set(filter.fields.map((f) => f.name))];
  return { filtered, indexFields: indexOrder(wanted) };
}

/** "`User.email`", "`Order.status` and `Order.createdAt`". */
export function describeFields(model: ModelInfo, names: readonly string[]): string {
  const parts = names.map((n) => `\`${model.name}.${n}\``);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
