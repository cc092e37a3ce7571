// prototype-pollution: untrusted keys that select the object a write lands in (`obj[a][b] = v`,
// a path walk, a recursive merge over the input's keys), so `__proto__` or
// `constructor.prototype` writes to `Object.prototype` for the whole process; and deep
// merges of untrusted data with library releases known to be vulnerable. Offers to skip
// the dangerous keys in a recursive merge's loop.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { contextFor } from '../inventory/location';
import { isTestModule } from '../shared/module-imports';
import { findTaintedSinks, flowsOf, isDangerous, relatedSteps, type Flow, type Sink, type SinkSpec, type TaintedSink } from '../taint';
import { excludesDangerousKeys } from './prototype-pollution/guards';
import { keyGuardFix } from './prototype-pollution/key-guard-fix';
import { libraryMergeAt, type LibraryMerge } from './prototype-pollution/libraries';
import { pollutionSinksAt, type PollutionSinkData } from './prototype-pollution/sinks';

type SinkData = PollutionSinkData | { readonly form: 'library'; readonly merge: LibraryMerge };

function sinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const merge = libraryMergeAt(ctx, node);
  if (merge) return merge.args.map((arg) => ({ expr: arg, label: merge.label, data: { form: 'library', merge } satisfies SinkData }));
  return pollutionSinksAt(ctx, node);
}

const spec: SinkSpec = {
  id: 'prototype-pollution',
  sinksAt,
  // A schema that lists the fields drops unknown keys such as `__proto__`; it does not constrain a key string.
  isSanitizer: (kind, _node, sink) => kind === 'schema' && (((sink.data as SinkData).form === 'library' && !(sink.data as { merge: LibraryMerge }).merge.path) || (sink.data as SinkData).form === 'recursive'),
  isGuard: (ctx, guard) => excludesDangerousKeys(ctx, [guard]),
  sourceKinds: ['request', 'lambda', 'websocket', 'browser'],
};

export const rule: Rule = {
  id: 'prototype-pollution',
  category: 'security',
  cwe: [1321],
  defaultSeverity: 'error',
  description: 'Untrusted keys choose the object a write lands in, or untrusted data is deep-merged by a vulnerable library release, so `__proto__` can change `Object.prototype`.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const reported = new Set<ts.Node>();
    const visit = (node: ts.Node): void => {
      if (ctx.isCancellationRequested()) return;
      for (const sink of sinksAt(ctx, node)) {
        const flow = flowsOf(ctx, sink.expr).find((f) => f.origin.kind === 'source' && isDangerous(ctx, spec, f, sink) && !excludesDangerousKeys(ctx, f.guards));
        if (flow?.origin.kind !== 'source' || reported.has(node)) continue;
        reported.add(node);
        report(ctx, { sink, source: flow.origin.source, steps: withSink(flow, sink), reportNode: sink.node ?? sink.expr });
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
    for (const found of findTaintedSinks(ctx, spec)) {
      if (!found.viaHelper || reported.has(found.reportNode) || guardedInside(ctx, found.sink)) continue;
      reported.add(found.reportNode);
      report(ctx, found);
    }
  },
};

/** The helper's own `if`s, taken together, keep the dangerous keys out (the engine judges one guard at a time). */
function guardedInside(ctx: RuleContext, sink: Sink): boolean {
  const inner = contextFor(ctx, sink.expr.getSourceFile());
  const flows = flowsOf(inner, sink.expr).filter((f) => f.origin.kind === 'param');
  return flows.length > 0 && flows.every((f) => excludesDangerousKeys(inner, f.guards));
}

function withSink(flow: Flow, sink: Sink): TaintedSink['steps'] {
  const node = sink.node ?? sink.expr;
  return flow.steps.some((s) => s.node === node) ? [...flow.steps] : [...flow.steps, { node, message: `it chooses where \`${sink.label}\` writes` }];
}

function report(ctx: RuleContext, found: TaintedSink): void {
  const data = found.sink.data as SinkData;
  const via = found.viaHelper ? ` through \`${found.viaHelper.name}\`` : '';
  const what = `\`${found.source.label}\``;
  const keys = 'reject `__proto__`, `constructor` and `prototype` keys';
  let message: string;
  if (data.form === 'library') {
    const m = data.merge;
    message = m.path
      ? `${what} is the property path of \`${m.label}\`${via} and ${m.module} ${m.version} (fixed in ${m.fixedIn}) follows \`__proto__\` in it to \`Object.prototype\`: upgrade ${m.module} or ${keys}.`
      : `${what} is deep-merged by \`${m.label}\`${via} and ${m.module} ${m.version} (fixed in ${m.fixedIn}) copies a \`__proto__\` key into \`Object.prototype\`: upgrade ${m.module} or parse the input with a schema first.`;
  } else if (data.form === 'recursive') {
    message = `${what} is merged key by key by \`${found.viaHelper?.name ?? found.sink.label}\`${via}, so a \`__proto__\` key writes into \`Object.prototype\`: ${keys} in the loop, or parse the input with a schema first.`;
  } else if (data.form === 'walk') {
    message = `${what} is walked as a property path by \`${found.sink.label}\`${via} before a write, so a \`__proto__\` segment writes into \`Object.prototype\`: ${keys}, or use a \`Map\`.`;
  } else {
    message = `${what} chooses the object written by \`${found.sink.label}\`${via}, so \`__proto__\` writes into \`Object.prototype\`: ${keys}, or use a \`Map\` or \`Object.create(null)\`.`;
  }
  const fix = data.form === 'recursive' || data.form === 'nested' ? () => [keyGuardFix(ctx, found.sink.expr)].filter((f) => f !== undefined) : undefined;
  ctx.report({ node: found.reportNode, message, related: relatedSteps(found), fixes: fix });
}
