// unindexed-query: a query that filters (or pages through a sort) only on fields the project's schema does
// not index (Prisma, TypeORM, Mongoose, Sequelize, raw SQL against the migrations' tables), or a Prisma `include` whose foreign key has no index.
// Fine on a developer's hundred rows, a full table scan per request in production.
// The fix adds the index to the schema, never to the query.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { calleeNameNode } from '../shared/callee';
import { describeQuery } from './unindexed-query/evaluate';
import { HANDLED, type Detected, type Detection } from './unindexed-query/detected';
import { detectMongoose, MONGOOSE_METHODS } from './unindexed-query/mongoose-query';
import { detectPrisma, PRISMA_METHODS } from './unindexed-query/prisma-query';
import { detectSequelize, SEQUELIZE_METHODS } from './unindexed-query/sequelize-query';
import { detectSql, SQL_METHODS } from './unindexed-query/sql-query';
import { detectTypeorm, TYPEORM_METHODS } from './unindexed-query/typeorm-query';

// Cheapest first: Prisma, Mongoose and Sequelize are recognised from imports and declarations, TypeORM and
// raw SQL need the checker's view of the receiver.
const DETECTORS: readonly { methods: ReadonlySet<string>; detect: (ctx: RuleContext, call: ts.CallExpression) => Detection }[] = [
  { methods: PRISMA_METHODS, detect: detectPrisma },
  { methods: MONGOOSE_METHODS, detect: detectMongoose },
  { methods: SEQUELIZE_METHODS, detect: detectSequelize },
  { methods: TYPEORM_METHODS, detect: detectTypeorm },
  { methods: SQL_METHODS, detect: detectSql },
];

/** The filter as written in the call, else the whole call (the filter was built elsewhere). */
function anchorOf(ctx: RuleContext, call: ts.CallExpression, d: Detected): ts.Node {
  const n = d.anchor;
  const inside = !!n && n.getSourceFile() === ctx.sourceFile && n.pos >= call.pos && n.end <= call.end;
  return inside && n ? n : call;
}

function report(ctx: RuleContext, call: ts.CallExpression, d: Detected): void {
  ctx.report({
    node: anchorOf(ctx, call, d),
    message: `\`${d.callText}\` ${d.description ?? describeQuery(d.model, d.verb, d.unindexed)}, ${d.notIndexedBy}: add ${d.advice}.`,
    related: d.related,
    fixes: () => {
      const edits = d.fixEdits();
      return edits && edits.length > 0 ? [{ title: 'Add index hint', isPreferred: true, safe: false, edits }] : [];
    },
  });
}

export const rule: Rule = {
  id: 'unindexed-query',
  category: 'performance',
  cwe: [1067],
  defaultSeverity: 'warning',
  description: 'A query filters only on fields the schema does not index, so every call scans the whole table.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ctx.isCancellationRequested()) return;
      if (ts.isCallExpression(node)) {
        const name = calleeNameNode(ts, node.expression)?.text;
        if (name) {
          for (const d of DETECTORS) {
            if (!d.methods.has(name)) continue;
            const found = d.detect(ctx, node);
            if (found === HANDLED) break;
            if (found) {
              for (const one of Array.isArray(found) ? found : [found as Detected]) report(ctx, node, one);
              break;
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};
