// The one walk every injection rule shares: find the rule's sinks in the file, ask
// the propagation where each sink's data came from, and keep the flows from a
// source that no sanitiser or guard made safe for that sink. A sink inside a project
// function is reported where this file passes untrusted data to that function (one
// summary per function and rule, computed once per program), with the path through it.
import type { ts } from 'ts-morph';
import type { RelatedInput, RuleContext } from '../api';
import { contextFor } from '../inventory/location';
import { functionName, projectFunctionOf, type ProjectFunction } from './functions';
import { isAllowListGuard } from './guards';
import { flowsOf, MAX_CALL_DEPTH } from './propagation';
import type { Flow, Sink, SinkSpec, Step, TaintedSink } from './types';

/** A parameter of a project function that reaches a sink inside it (or inside what it calls). */
interface ParameterSink {
  readonly sink: Sink;
  /** From the parameter to the sink. */
  readonly flow: Flow;
}

const summaries = new WeakMap<ts.Program, Map<string, WeakMap<ts.Node, Map<number, ParameterSink>>>>();

/** Every sink of `spec` in the file that untrusted data reaches, directly or through a helper. */
export function findTaintedSinks(ctx: RuleContext, spec: SinkSpec): TaintedSink[] {
  const { ts } = ctx;
  const out: TaintedSink[] = [];
  const visit = (node: ts.Node): void => {
    if (ctx.isCancellationRequested()) return;
    for (const sink of spec.sinksAt(ctx, node)) {
      const flow = flowsOf(ctx, sink.expr).find((f) => f.origin.kind === 'source' && isDangerous(ctx, spec, f, sink));
      if (flow && flow.origin.kind === 'source') out.push({ sink, source: flow.origin.source, steps: withSink(flow.steps, sink), reportNode: sink.node ?? sink.expr });
    }
    if (ts.isCallExpression(node) && node.arguments.length > 0) out.push(...throughHelper(ctx, spec, node));
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return out;
}

/** True when the flow is untrusted data at this sink: no sanitiser for it, no guard making it safe. */
export function isDangerous(ctx: RuleContext, spec: SinkSpec, flow: Flow, sink: Sink): boolean {
  if (flow.origin.kind === 'source' && spec.sourceKinds && !spec.sourceKinds.includes(flow.origin.source.kind)) return false;
  if (flow.transforms.some((t) => spec.isSanitizer?.(t.kind, t.node, sink))) return false;
  return !flow.guards.some((g) => isAllowListGuard(contextFor(ctx, g.condition.getSourceFile()), g) || spec.isGuard?.(contextFor(ctx, g.condition.getSourceFile()), g, sink));
}

function withSink(steps: readonly Step[], sink: Sink): Step[] {
  const node = sink.node ?? sink.expr;
  return steps.some((s) => s.node === node) ? [...steps] : [...steps, { node, message: `it reaches \`${sink.label}\`` }];
}

/** `helper(req.query.file)` where `helper` passes its parameter to a sink. */
function throughHelper(ctx: RuleContext, spec: SinkSpec, call: ts.CallExpression): TaintedSink[] {
  const fn = projectFunctionOf(ctx, call);
  if (!fn) return [];
  const sinks = parameterSinks(ctx, spec, fn, 0);
  if (sinks.size === 0) return [];
  const out: TaintedSink[] = [];
  const name = functionName(ctx, fn);
  for (const [index, reached] of sinks) {
    const arg = call.arguments[index];
    if (!arg) continue;
    const outer = flowsOf(ctx, arg).find((f) => f.origin.kind === 'source' && isDangerous(ctx, spec, joined(f, reached.flow), reached.sink));
    if (!outer || outer.origin.kind !== 'source') continue;
    const steps = withSink([...outer.steps, { node: arg, message: `passed to \`${name}\`` }, ...reached.flow.steps], reached.sink);
    out.push({ sink: reached.sink, source: outer.origin.source, steps, reportNode: arg, viaHelper: { call, name } });
  }
  return out;
}

function joined(outer: Flow, inner: Flow): Flow {
  return { origin: outer.origin, steps: outer.steps, transforms: [...outer.transforms, ...inner.transforms], guards: [...outer.guards, ...inner.guards] };
}

/** Parameters of `fn` that reach a sink of `spec`, with the path inside. */
function parameterSinks(rootCtx: RuleContext, spec: SinkSpec, fn: ProjectFunction, depth: number): Map<number, ParameterSink> {
  let bySpec = summaries.get(rootCtx.program);
  if (!bySpec) summaries.set(rootCtx.program, (bySpec = new Map()));
  let byFn = bySpec.get(spec.id);
  if (!byFn) bySpec.set(spec.id, (byFn = new WeakMap()));
  const cached = byFn.get(fn);
  if (cached) return cached;
  const found = new Map<number, ParameterSink>();
  byFn.set(fn, found);
  const ctx = contextFor(rootCtx, fn.getSourceFile());
  const { ts } = ctx;
  const record = (index: number, entry: ParameterSink) => {
    if (index >= 0 && !found.has(index)) found.set(index, entry);
  };
  const visit = (node: ts.Node): void => {
    for (const sink of spec.sinksAt(ctx, node)) {
      for (const f of flowsOf(ctx, sink.expr)) {
        if (f.origin.kind === 'param' && f.origin.fn === fn && isDangerous(ctx, spec, f, sink)) record(f.origin.index, { sink, flow: f });
      }
    }
    if (depth < MAX_CALL_DEPTH - 1 && ts.isCallExpression(node) && node.arguments.length > 0) {
      const inner = projectFunctionOf(ctx, node);
      const innerSinks = inner && inner !== fn ? parameterSinks(rootCtx, spec, inner, depth + 1) : undefined;
      for (const [k, reached] of innerSinks ?? []) {
        const arg = node.arguments[k];
        for (const f of arg ? flowsOf(ctx, arg) : []) {
          if (f.origin.kind !== 'param' || f.origin.fn !== fn) continue;
          const flow = { ...joined(f, reached.flow), steps: [...f.steps, { node: arg, message: `passed to \`${functionName(ctx, inner!)}\`` }, ...reached.flow.steps] };
          if (isDangerous(ctx, spec, flow, reached.sink)) record(f.origin.index, { sink: reached.sink, flow });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

/** The path as related locations, source first (each a step of a SARIF code flow). */
export function relatedSteps(tainted: TaintedSink): RelatedInput[] {
  const report = tainted.reportNode;
  return tainted.steps
    .filter((s) => s.node !== report)
    .map((s) => ({ fileName: s.node.getSourceFile().fileName, node: s.node, message: s.message, step: true }));
}
