// mass-assignment: the client's object as a whole (`req.body`, a Nest `@Body()` of an
// unvalidated type, or a copy or spread of it) handed to an ORM write — Mongoose, Prisma,
// TypeORM, Sequelize, or `Object.assign` onto an entity — so the client chooses which
// columns are written (`role`, `isAdmin`, `ownerId`). Found by the taint engine, also
// through project helpers. No fix: which fields a client may set is the code's decision.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { isTestModule } from '../shared/module-imports';
import { findTaintedSinks, flowsOf, isDangerous, relatedSteps, type Flow, type Sink, type SinkSpec, type TaintedSink } from '../taint';
import { dataArgumentsAt } from './mass-assignment/sinks';
import { isWholeSource, wholeObjectLeaves } from './mass-assignment/whole-object';

/** Each leaf of the whole-object walk is a sink of its own; `node` is the argument the ORM receives. */
function sinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  return dataArgumentsAt(ctx, node).flatMap((arg) => wholeObjectLeaves(ctx, arg.expr).map((leaf) => ({ expr: leaf, node: arg.expr, label: arg.label })));
}

const spec: SinkSpec = {
  id: 'mass-assignment',
  sinksAt,
  // A schema parse (zod's `z.object` strips unknown keys) keeps only the declared fields.
  isSanitizer: (kind) => kind === 'schema',
  // Browser data never reaches a server's database.
  sourceKinds: ['request', 'lambda', 'websocket'],
};

export const rule: Rule = {
  id: 'mass-assignment',
  category: 'security',
  cwe: [915],
  defaultSeverity: 'warning',
  description: 'The request body as a whole is written to a database record, so the client chooses which fields are set.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const reported = new Set<ts.Node>();
    const visit = (node: ts.Node): void => {
      if (ctx.isCancellationRequested()) return;
      for (const sink of sinksAt(ctx, node)) {
        if (reported.has(sink.node!)) continue;
        const flow = flowsOf(ctx, sink.expr).find((f) => isWholeAndUntrusted(ctx, f, sink));
        if (flow?.origin.kind !== 'source') continue;
        reported.add(sink.node!);
        report(ctx, { sink, source: flow.origin.source, steps: withSink(flow, sink), reportNode: sink.node! });
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
    for (const found of findTaintedSinks(ctx, spec)) {
      // The engine checked the helper's side; whether the caller passes the whole object is asked here.
      if (!found.viaHelper || reported.has(found.reportNode)) continue;
      const arg = found.reportNode as ts.Expression;
      const outer = wholeObjectLeaves(ctx, arg).flatMap((leaf) => flowsOf(ctx, leaf).filter((f) => isWholeAndUntrusted(ctx, f, { ...found.sink, expr: leaf })));
      if (outer[0]?.origin.kind !== 'source') continue;
      reported.add(arg);
      report(ctx, { ...found, source: outer[0].origin.source });
    }
  },
};

function isWholeAndUntrusted(ctx: RuleContext, f: Flow, sink: Sink): boolean {
  if (f.origin.kind !== 'source') return false;
  const source = f.origin.source;
  // A class-validator DTO behind a global ValidationPipe: its declared fields are what the handler uses.
  return !source.validated && isWholeSource(ctx, source, sink.expr) && isDangerous(ctx, spec, f, sink);
}

function withSink(flow: Flow, sink: Sink): TaintedSink['steps'] {
  const node = sink.node ?? sink.expr;
  return flow.steps.some((s) => s.node === node) ? [...flow.steps] : [...flow.steps, { node, message: `it is written whole by \`${sink.label}\`` }];
}

function report(ctx: RuleContext, found: TaintedSink): void {
  const via = found.viaHelper ? ` through \`${found.viaHelper.name}\`` : '';
  ctx.report({
    node: found.reportNode,
    message: `\`${found.source.label}\` is written whole by \`${found.sink.label}\`${via}, so the client chooses which fields are set: pick the allowed fields or parse it with a schema first.`,
    related: relatedSteps(found),
  });
}
