// nosql-injection: request data that may arrive as an object (`{ "$ne": null }`) reaching a
// MongoDB filter of Mongoose or the driver, a whole filter taken from the request, or
// request data in `$where`/`$function`/`$expr`, directly or through project helpers.
// Offers `String(…)` around a field value when the field is a string.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { isTestModule } from '../shared/module-imports';
import { findTaintedSinks, flowsOf, isDangerous, relatedSteps, type Flow, type Sink, type SinkSpec, type TaintedSink, type TransformKind } from '../taint';
import { appDefence, type AppDefence } from './nosql-injection/app-sanitizer';
import { isPrimitiveGuard, isShorthandGuarded } from './nosql-injection/guards';
import { noSqlSinksAt, type NoSqlSinkData } from './nosql-injection/sinks';
import { stringFix } from './nosql-injection/string-fix';
import { isPrimitiveByConstruction, mayBeObject, valueDeclarationOf } from './nosql-injection/values';

/** Transforms whose result is a string: no operator can hide in it. */
const STRING_RESULTS = new Set<TransformKind>(['json', 'html-escape', 'html-sanitize', 'url-encode', 'uri-encode', 'basename', 'path-normalize', 'shell-quote', 'regex-escape']);

const spec: SinkSpec = {
  id: 'nosql-injection',
  sinksAt: noSqlSinksAt,
  isSanitizer(kind: TransformKind, _node: ts.Node, sink: Sink) {
    const data = sink.data as NoSqlSinkData;
    // Code runs whatever text it is given: no transform makes request data safe there.
    if (data.form === 'code') return false;
    if (kind === 'schema') return data.constrained;
    return kind === 'nosql-sanitize' || STRING_RESULTS.has(kind);
  },
  isGuard: (ctx, guard, sink) => (sink.data as NoSqlSinkData).form !== 'code' && isPrimitiveGuard(ctx, guard),
  // Browser data never reaches a server's database.
  sourceKinds: ['request', 'lambda', 'websocket'],
};

export const rule: Rule = {
  id: 'nosql-injection',
  category: 'security',
  cwe: [943],
  defaultSeverity: 'error',
  description: 'Request data that may be an object reaches a MongoDB query filter, or request data reaches `$where`/`$expr`.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const defence = appDefence(ctx);
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ctx.isCancellationRequested()) return;
      for (const sink of noSqlSinksAt(ctx, node)) {
        // Every flow is judged, not only the first: whether request data may be an object depends on where it entered.
        const flow = flowsOf(ctx, sink.expr).find((f) => f.origin.kind === 'source' && isDangerous(ctx, spec, f, sink) && stillDangerous(ctx, sink, f, defence));
        if (flow && flow.origin.kind === 'source') report(ctx, { sink, source: flow.origin.source, steps: withSink(flow, sink), reportNode: sinkNode(sink) });
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
    for (const found of findTaintedSinks(ctx, spec)) {
      // `helper(String(x))`: the engine carries the data through `String` without a mark of the conversion.
      if (!found.viaHelper || isPrimitiveByConstruction(ctx, found.reportNode as ts.Expression)) continue;
      const outer = flowsOf(ctx, found.reportNode as ts.Expression).find((f) => f.origin.kind === 'source' && f.origin.source === found.source);
      if (stillDangerous(ctx, found.sink, { origin: { kind: 'source', source: found.source }, steps: found.steps, transforms: outer?.transforms ?? [], guards: [] }, defence)) report(ctx, found);
    }
  },
};

/** What the engine cannot judge: where the data entered, the project's sanitiser, which shorthand field it went through. */
function stillDangerous(ctx: RuleContext, sink: Sink, flow: Flow, defence: AppDefence | undefined): boolean {
  const data = sink.data as NoSqlSinkData;
  if (flow.origin.kind !== 'source') return false;
  if (data.form === 'code') return true;
  if (defence === 'middleware' || (defence === 'sanitize-filter' && data.form === 'field')) return false;
  if (data.shorthand && (!throughShorthand(ctx, flow, data.shorthand) || isShorthandGuarded(ctx, data.shorthand))) return false;
  const typed = data.shorthand ? data.shorthand.name : sink.expr;
  return mayBeObject(ctx, flow.origin.source, flow, ctx.checker.getTypeAtLocation(typed), data.constrained, data.form === 'whole');
}

/** The flow reaches the object literal through this shorthand property's variable. */
function throughShorthand(ctx: RuleContext, flow: Flow, prop: ts.ShorthandPropertyAssignment): boolean {
  const decl = valueDeclarationOf(ctx, prop.name);
  if (!decl) return false;
  const named = (decl as ts.NamedDeclaration).name;
  return flow.steps.some((s) => s.node === decl || (named !== undefined && s.node === named));
}

function sinkNode(sink: Sink): ts.Node {
  const data = sink.data as NoSqlSinkData;
  return data.shorthand ?? sink.node ?? sink.expr;
}

function withSink(flow: Flow, sink: Sink): TaintedSink['steps'] {
  const node = sinkNode(sink);
  return flow.steps.some((s) => s.node === node) ? [...flow.steps] : [...flow.steps, { node, message: `it reaches the filter of \`${sink.label}\`` }];
}

function report(ctx: RuleContext, found: TaintedSink): void {
  const data = found.sink.data as NoSqlSinkData;
  const via = found.viaHelper ? ` through \`${found.viaHelper.name}\`` : '';
  const what = `\`${found.source.label}\``;
  let message: string;
  if (data.form === 'code') message = `${what} reaches \`${data.label}\`${via}, which MongoDB runs as code: filter on fields with plain values instead of putting request data in server-side code.`;
  else if (data.form === 'whole') message = `${what} is used as the filter of \`${data.label}\`${via}, so the client chooses the operators: build the filter from named fields converted to strings, or parse it with a schema.`;
  else message = `${what} reaches the \`${data.field}\` filter of \`${data.label}\`${via} and may be an object such as \`{ "$ne": null }\`: convert it with \`String(…)\` or check its \`typeof\` before querying.`;
  const fix = found.viaHelper ? undefined : () => [stringFix(ctx, found.sink.expr, data)].filter((f) => f !== undefined);
  ctx.report({ node: found.reportNode, message, related: relatedSteps(found), fixes: fix });
}
