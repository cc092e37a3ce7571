// The taint engine: where untrusted data enters (sources/), how it moves
// (propagation.ts, calls.ts, functions.ts), what stops it (guards.ts and each sink's
// sanitisers), and the shared walk that finds it at a rule's sinks (sinks.ts).
export type { Flow, Guard, Origin, Sink, SinkSpec, SourceKind, Step, TaintedSink, TaintSource, Transform, TransformKind } from './types';
export { findTaintedSinks, isDangerous, relatedSteps } from './sinks';
export { flowsOf } from './propagation';
export { conditionImplies, isAllowListGuard } from './guards';
export { projectFunctionOf } from './functions';
export { taintRule, throughHelper, type TaintRuleMeta } from './rule';
