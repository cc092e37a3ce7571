// Prisma `include`/`select` of a relation's list side (`include: { posts: true }`):
// Prisma loads the related rows with a second query, `WHERE "authorId" IN (…)`, on
// the other model's foreign key. Prisma creates no index for a foreign key on
// Postgres, SQLite or SQL Server (nor with `relationMode = "prisma"`), so each such
// query scans the related table unless the schema declares `@@index([authorId])`.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { isLeadingIndexed, withIndexes } from '../../shared/schema/model';
import type { PrismaModel, PrismaSchema } from '../../shared/schema/prisma';
import { prismaSchemaFor, sqlSchemaFor } from '../../shared/schema/project';
import { migrationIndexesFor } from '../../shared/schema/sql-schema';
import { notIndexedByFile, type Detected } from './detected';
import { objectLiteralOf, propertyKey, propertyValue } from './filter';
import { prismaIndexEdit } from './prisma-query';

const MAX_DEPTH = 4;

/** The field of `target` that holds the key of a list relation `from.<field>` (the one relation back, unambiguous). */
function foreignKeySide(schema: PrismaSchema, from: PrismaModel, target: PrismaModel): readonly string[] | undefined {
  const back = [...target.fields.values()].filter((f) => f.relation?.target === from.name);
  const owners = back.filter((f) => (f.relation?.localFields.length ?? 0) > 0);
  // Several relations between the same models are told apart by name, which the model does not keep.
  const lists = [...from.fields.values()].filter((f) => f.relation?.target === target.name);
  if (owners.length !== 1 || lists.length !== 1 || !schema.models.has(target.name)) return undefined;
  return owners[0].relation?.localFields;
}

export function includeFindings(ctx: RuleContext, declared: PrismaModel, args: ts.ObjectLiteralExpression, callText: string): Detected[] {
  const schema = prismaSchemaFor(ctx, ctx.fileName);
  if (!schema || schema.models.get(declared.name)?.fileName !== declared.fileName) return [];
  const out: Detected[] = [];
  const seen = new Set<string>();
  const visit = (model: PrismaModel, obj: ts.ObjectLiteralExpression, depth: number): void => {
    for (const key of ['include', 'select']) {
      const nested = propertyValue(ctx, obj, key);
      const relations = nested && objectLiteralOf(ctx, nested.value);
      if (!relations) continue;
      for (const p of relations.properties) {
        if (!ctx.ts.isPropertyAssignment(p)) continue;
        const name = propertyKey(ctx, p);
        const rel = name === undefined ? undefined : model.fields.get(name)?.relation;
        const value = skipOuter(ctx.ts, p.initializer);
        const loads = value.kind === ctx.ts.SyntaxKind.TrueKeyword || ctx.ts.isObjectLiteralExpression(value);
        const target = rel && schema.models.get(rel.target);
        if (!name || !rel || !target || !loads || rel.localFields.length > 0) continue;
        if (ctx.ts.isObjectLiteralExpression(value) && depth < MAX_DEPTH) visit(target, value, depth + 1);
        const keys = foreignKeySide(schema, model, target);
        const indexed = keys && withIndexes(target, migrationIndexesFor(target, sqlSchemaFor(ctx, target.fileName)));
        if (!keys || !indexed || isLeadingIndexed(indexed, keys[0]) || seen.has(`${target.name}.${keys.join(',')}`)) continue;
        seen.add(`${target.name}.${keys.join(',')}`);
        const attribute = `@@index([${keys.join(', ')}])`;
        out.push({
          model: indexed,
          unindexed: { filtered: keys, indexFields: keys },
          anchor: p,
          verb: 'loads',
          description: `${key}s \`${model.name}.${name}\`, loaded by \`${target.name}.${keys.join(', ')}\``,
          callText,
          notIndexedBy: notIndexedByFile(target.fileName),
          advice: `\`${attribute}\` to \`${target.name}\``,
          related: [{ fileName: target.fileName, start: target.location.start, end: target.location.end, message: `\`${target.name}\` is declared here` }],
          fixEdits: () => {
            const edit = prismaIndexEdit(ctx, target, attribute);
            return edit && [edit];
          },
        });
      }
    }
  };
  visit(declared, args, 0);
  return out;
}
