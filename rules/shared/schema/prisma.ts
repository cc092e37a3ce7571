// A Prisma schema (one `schema.prisma` or a folder of `.prisma` files) as models
// with their fields, relations and indexes: `@id`, `@@id`, `@unique`, `@@unique`,
// `@@index`, `@map`/`@@map`, and the client delegate each model gets
// (`User` → `prisma.user`). Each file is parsed once per text.
import * as path from 'node:path';
import type { Attribute, AttributeArgument, BlockAttribute, Field, Schema, Value } from '@mrleebo/prisma-ast';
import { cachedParse } from './cache';
import type { FieldInfo, IndexInfo, IndexKind, ModelInfo, SchemaLocation } from './model';
import { parsePrismaSchema } from './prisma-ast-loader';

export interface PrismaModel extends ModelInfo {
  readonly kind: 'prisma';
  /** The client property (`user` for `User`). */
  readonly delegate: string;
  readonly fileName: string;
  /** Offsets of the model block's braces in its file. */
  readonly blockOpen: number;
  readonly blockClose: number;
}

export interface PrismaSchema {
  readonly files: readonly string[];
  /** The datasource provider (`postgresql`, `mysql`, `sqlite`, `mongodb`…). */
  readonly provider?: string;
  readonly relationMode?: string;
  readonly models: ReadonlyMap<string, PrismaModel>;
  readonly byDelegate: ReadonlyMap<string, PrismaModel>;
  /** Absolute directories generators write the client to (their `output`). */
  readonly clientOutputs: readonly string[];
}

interface RawField {
  readonly name: string;
  readonly type: string;
  readonly list: boolean;
  readonly column: string;
  readonly id: boolean;
  readonly unique: boolean;
  /** `@relation(fields: [...])`, when present. */
  readonly relationFields?: readonly string[];
  readonly location?: SchemaLocation;
}

export interface RawModel {
  readonly name: string;
  readonly table: string;
  readonly fields: readonly RawField[];
  readonly blockIndexes: readonly { fields: string[]; kind: IndexKind }[];
  readonly location: SchemaLocation;
  readonly blockOpen: number;
  readonly blockClose: number;
}

export interface PrismaFile {
  readonly fileName: string;
  readonly models: readonly RawModel[];
  readonly provider?: string;
  readonly relationMode?: string;
  readonly outputs: readonly string[];
}

function unquote(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** Names in an attribute's field list: `[a, b(sort: Desc)]`. */
function fieldNames(v: Value | undefined): string[] {
  if (!v || typeof v !== 'object' || Array.isArray(v) || v.type !== 'array') return [];
  return v.args.flatMap((a) => (typeof a === 'string' ? [a] : a && typeof a === 'object' && !Array.isArray(a) && a.type === 'function' ? [a.name] : []));
}

/** The list argument of `@@index([...])` / `@@index(fields: [...])` / `@relation(fields: [...])`. */
function listArg(args: readonly AttributeArgument[] | undefined, key: string): string[] {
  for (const a of args ?? []) {
    const v = a.value;
    if (v && typeof v === 'object' && !Array.isArray(v) && v.type === 'keyValue') {
      if (v.key === key) return fieldNames(v.value);
    } else if (key === 'fields') {
      const names = fieldNames(v as Value);
      if (names.length > 0) return names;
    }
  }
  return [];
}

function firstStringArg(args: readonly AttributeArgument[] | undefined): string | undefined {
  const v = args?.[0]?.value;
  return typeof v === 'string' ? unquote(v) : undefined;
}

/** Offset just past the `}` matching the first `{` at or after `from`, skipping strings and comments. */
function blockBraces(text: string, from: number): { open: number; close: number } | undefined {
  let depth = 0;
  let open = -1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') {
      if (depth++ === 0) open = i;
    } else if (c === '}' && --depth === 0) {
      return { open, close: i };
    }
  }
  return undefined;
}

function locationOf(fileName: string, loc: { startOffset?: number; endOffset?: number } | undefined): SchemaLocation | undefined {
  if (loc?.startOffset === undefined || !Number.isFinite(loc.startOffset)) return undefined;
  return { fileName, start: loc.startOffset, end: (loc.endOffset ?? loc.startOffset) + 1 };
}

function readField(fileName: string, f: Field): RawField | undefined {
  const attrs: readonly Attribute[] = f.attributes ?? [];
  if (attrs.some((a) => a.name === 'ignore' && !a.group)) return undefined;
  const attr = (name: string) => attrs.find((a) => a.name === name && !a.group);
  const relation = attr('relation');
  return {
    name: f.name,
    type: typeof f.fieldType === 'string' ? f.fieldType : f.fieldType.name,
    list: !!f.array,
    column: firstStringArg(attr('map')?.args) ?? f.name,
    id: !!attr('id'),
    unique: !!attr('unique'),
    relationFields: relation ? listArg(relation.args, 'fields') : undefined,
    location: locationOf(fileName, f.location),
  };
}

const BLOCK_INDEX_KINDS: Readonly<Record<string, IndexKind>> = { id: 'primary', unique: 'unique', index: 'index' };

function readFile(fileName: string, text: string): PrismaFile | undefined {
  let schema: Schema | undefined;
  try {
    schema = parsePrismaSchema(text);
  } catch {
    return undefined; // Mid-edit or invalid: no model rather than a wrong one.
  }
  if (!schema) return undefined;
  const models: RawModel[] = [];
  const outputs: string[] = [];
  let provider: string | undefined;
  let relationMode: string | undefined;
  for (const block of schema.list) {
    if (block.type === 'datasource') {
      for (const a of block.assignments) {
        if (a.type !== 'assignment') continue;
        if (a.key === 'provider') provider = unquote(a.value);
        if (a.key === 'relationMode') relationMode = unquote(a.value);
      }
    } else if (block.type === 'generator') {
      for (const a of block.assignments) {
        const out = a.type === 'assignment' && a.key === 'output' ? unquote(a.value) : undefined;
        if (out) outputs.push(path.posix.normalize(path.posix.join(path.posix.dirname(fileName), out)));
      }
    } else if (block.type === 'model') {
      const location = locationOf(fileName, block.location);
      const braces = location && blockBraces(text, location.start);
      if (!location || !braces) continue;
      const blockAttrs = block.properties.filter((p): p is BlockAttribute => p.type === 'attribute' && !p.group);
      if (blockAttrs.some((a) => a.name === 'ignore')) continue;
      const fields = block.properties.flatMap((p) => (p.type === 'field' ? [readField(fileName, p)].filter((f): f is RawField => !!f) : []));
      const blockIndexes = blockAttrs.flatMap((a) => {
        const kind = BLOCK_INDEX_KINDS[a.name];
        const names = kind ? listArg(a.args, 'fields') : [];
        return names.length > 0 && kind ? [{ fields: names, kind }] : [];
      });
      const table = firstStringArg(blockAttrs.find((a) => a.name === 'map')?.args) ?? block.name;
      // Point at the model's name, not the `model` keyword.
      const nameAt = text.indexOf(block.name, location.start);
      const nameLoc = nameAt >= 0 && nameAt < braces.open ? { fileName, start: nameAt, end: nameAt + block.name.length } : location;
      models.push({ name: block.name, table, fields, blockIndexes, location: nameLoc, blockOpen: braces.open, blockClose: braces.close });
    }
  }
  return { fileName, models, provider, relationMode, outputs };
}

/** One schema file, parsed once per text; undefined when it does not parse. */
export function readPrismaFile(fileName: string, text: string): PrismaFile | undefined {
  return cachedParse('prisma', fileName, text, () => readFile(fileName, text));
}

/** Prisma's client property for a model: the name with its first letter lower-cased. */
export function delegateName(model: string): string {
  return model.charAt(0).toLowerCase() + model.slice(1);
}

/** The files of one schema, combined (relations may cross files). */
export function combinePrismaFiles(files: readonly PrismaFile[]): PrismaSchema {
  const provider = files.find((f) => f.provider)?.provider;
  const relationMode = files.find((f) => f.relationMode)?.relationMode;
  const rawModels = files.flatMap((f) => f.models.map((m) => ({ m, fileName: f.fileName })));
  const modelNames = new Set(rawModels.map((r) => r.m.name));
  // InnoDB indexes every foreign key it enforces; Postgres, SQLite and `relationMode = "prisma"` do not.
  const foreignKeysIndexed = provider === 'mysql' && relationMode !== 'prisma';
  const models = new Map<string, PrismaModel>();
  const byDelegate = new Map<string, PrismaModel>();
  for (const { m, fileName } of rawModels) {
    const fields = new Map<string, FieldInfo>();
    const indexes: IndexInfo[] = [];
    for (const f of m.fields) {
      const isRelation = modelNames.has(f.type);
      fields.set(f.name, {
        name: f.name,
        column: f.column,
        relation: isRelation ? { target: f.type, localFields: f.relationFields ?? [], list: f.list } : undefined,
        location: f.location,
      });
      if (f.id) indexes.push({ fields: [f.name], kind: 'primary', fileName });
      if (f.unique) indexes.push({ fields: [f.name], kind: 'unique', fileName });
      if (isRelation && foreignKeysIndexed && f.relationFields?.length) indexes.push({ fields: [...f.relationFields], kind: 'index', fileName });
    }
    for (const bi of m.blockIndexes) indexes.push({ fields: bi.fields, kind: bi.kind, fileName });
    const model: PrismaModel = {
      kind: 'prisma',
      name: m.name,
      table: m.table,
      fields,
      indexes,
      location: m.location,
      delegate: delegateName(m.name),
      fileName,
      blockOpen: m.blockOpen,
      blockClose: m.blockClose,
    };
    models.set(m.name, model);
    byDelegate.set(model.delegate, model);
  }
  return { files: files.map((f) => f.fileName), provider, relationMode, models, byDelegate, clientOutputs: files.flatMap((f) => f.outputs) };
}
