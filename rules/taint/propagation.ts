// Backward data flow: from an expression at a sink to where its data came from.
// Follows variables (every write of a `let`), destructuring, object and array
// literals, templates and concatenation, string/array methods and known library
// transforms, awaited values, array-method callbacks, and project functions in any
// file (what they return, and parameters back to the arguments of a call). Bounded
// in depth and in functions crossed, so a keystroke's cost stays predictable.
// Flows are computed once per expression per program and shared by every rule.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isProcessEnv, isSafeType, variableWrites } from '../shared/string-building';
import { contextFor } from '../inventory/location';
import { callEffect } from './calls';
import { functionName, projectFunctionOf, returnedExpressions, type ProjectFunction } from './functions';
import { guardsAt } from './guards';
import { expressionSource, parameterSource } from './sources';
import type { Flow, Guard, Step, TaintSource } from './types';

/** Expression hops followed from one sink. */
const MAX_DEPTH = 40;
/** Function boundaries crossed (returns and parameters together). */
export const MAX_CALL_DEPTH = 3;
/** Distinct origins kept per expression: enough to explain a finding. */
const MAX_FLOWS = 6;
const MAX_STEPS = 10;
/** Callback-taking methods whose callback's parameter is an element of the receiver (index of that parameter). */
const ELEMENT_CALLBACKS: Readonly<Record<string, number>> = { map: 0, forEach: 0, filter: 0, find: 0, findLast: 0, some: 0, every: 0, flatMap: 0, reduce: 1, reduceRight: 1, then: 0 };

const caches = new WeakMap<ts.Program, WeakMap<ts.Node, Flow[]>>();

/** Where the data of `expr` comes from: sources, and parameters of the function it sits in. */
export function flowsOf(ctx: RuleContext, expr: ts.Expression): readonly Flow[] {
  let cache = caches.get(ctx.program);
  if (!cache) caches.set(ctx.program, (cache = new WeakMap()));
  return new Tracer(ctx, cache).flows(expr, 0, 0);
}

const SOURCE_WORDS: Record<TaintSource['kind'], string> = { request: 'the request', lambda: 'the Lambda event', websocket: 'a WebSocket message', browser: 'the page URL or another window' };

export function sourceStep(source: TaintSource): Step {
  return { node: source.node, message: `\`${source.label}\` comes from ${SOURCE_WORDS[source.kind]}` };
}

class Tracer {
  private readonly visiting = new Set<ts.Node>();
  constructor(
    private readonly root: RuleContext,
    private readonly cache: WeakMap<ts.Node, Flow[]>,
  ) {}

  private ctxOf(node: ts.Node): RuleContext {
    return contextFor(this.root, node.getSourceFile());
  }

  flows(expr: ts.Expression, depth: number, calls: number): Flow[] {
    const { ts } = this.root;
    const e = skipOuter(ts, expr);
    const cached = this.cache.get(e);
    if (cached) return cached;
    if (depth > MAX_DEPTH || this.visiting.has(e)) return [];
    this.visiting.add(e);
    try {
      const found = distinct(this.compute(e, depth + 1, calls));
      this.cache.set(e, found);
      return found;
    } finally {
      this.visiting.delete(e);
    }
  }

  private union(exprs: readonly (ts.Expression | undefined)[], depth: number, calls: number): Flow[] {
    return exprs.flatMap((x) => (x ? this.flows(x, depth, calls) : []));
  }

  private compute(e: ts.Expression, depth: number, calls: number): Flow[] {
    const ctx = this.ctxOf(e);
    const { ts } = ctx;
    if (ts.isAwaitExpression(e)) return this.flows(e.expression, depth, calls);
    const source = expressionSource(ctx, e);
    if (source) return [{ origin: { kind: 'source', source }, steps: [sourceStep(source)], transforms: [], guards: guardsAt(ctx, e) }];
    if (isInert(ts, e) || isProcessEnv(ctx, e)) return [];
    // Numbers, booleans and literal unions carry no text an attacker chose (types are checked after sources: request data is what it is, whatever it is declared as).
    if (!ts.isObjectLiteralExpression(e) && !ts.isArrayLiteralExpression(e) && isSafeType(ctx, ctx.checker.getTypeAtLocation(e))) return [];
    if (ts.isTemplateExpression(e)) return this.union(e.templateSpans.map((s) => s.expression), depth, calls);
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return this.union([e.left, e.right], depth, calls);
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken) return this.flows(e.right, depth, calls);
      return [];
    }
    if (ts.isConditionalExpression(e)) return this.union([e.whenTrue, e.whenFalse], depth, calls);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      // A member of tainted data is tainted data; guards on `body.sort` itself count too.
      const guards = guardsAt(ctx, e);
      return this.flows(e.expression, depth, calls).map((f) => withGuards(f, guards));
    }
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) return this.callFlows(ctx, e, depth, calls);
    if (ts.isObjectLiteralExpression(e)) return this.objectFlows(ctx, e, depth, calls);
    if (ts.isArrayLiteralExpression(e)) return this.union(e.elements.map((el) => (ts.isSpreadElement(el) ? el.expression : el)), depth, calls);
    if (ts.isIdentifier(e)) return this.identifierFlows(ctx, e, depth, calls);
    return [];
  }

  private callFlows(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, depth: number, calls: number): Flow[] {
    const { ts } = ctx;
    const effect = callEffect(ctx, call);
    if (effect) {
      const flows = this.union(effect.carried, depth, calls);
      const transform = effect.transform;
      return transform ? flows.map((f) => ({ ...f, transforms: [...f.transforms, { kind: transform, node: call }] })) : flows;
    }
    if (!ts.isCallExpression(call) || calls >= MAX_CALL_DEPTH) return [];
    const fn = projectFunctionOf(ctx, call);
    return fn ? this.returnFlows(ctx, call, fn, depth, calls) : [];
  }

  /** `helper(x)`: what the helper returns, with its parameters replaced by this call's arguments. */
  private returnFlows(ctx: RuleContext, call: ts.CallExpression, fn: ProjectFunction, depth: number, calls: number): Flow[] {
    const name = functionName(ctx, fn);
    const returned = this.union(returnedExpressions(this.ctxOf(fn), fn), depth, calls + 1);
    const out: Flow[] = [];
    const returnStep: Step = { node: call, message: `\`${name}\` returns it` };
    for (const inner of returned) {
      if (inner.origin.kind === 'source') out.push(append(inner, [returnStep]));
      else if (inner.origin.fn === fn) out.push(...this.throughArgument(call, inner, depth, calls).map((f) => append(f, [returnStep])));
    }
    return out;
  }

  /** A flow from parameter i of the called function, continued from the call's argument i. */
  throughArgument(call: ts.CallExpression, inner: Flow, depth: number, calls: number): Flow[] {
    const { ts } = this.root;
    if (inner.origin.kind !== 'param') return [];
    const arg = call.arguments[inner.origin.index];
    if (!arg || call.arguments.slice(0, inner.origin.index + 1).some((a) => ts.isSpreadElement(a))) return [];
    return this.flows(arg, depth, calls).map((outer) => ({
      origin: outer.origin,
      steps: [...outer.steps, ...inner.steps],
      transforms: [...outer.transforms, ...inner.transforms],
      guards: [...outer.guards, ...inner.guards],
    }));
  }

  private objectFlows(ctx: RuleContext, obj: ts.ObjectLiteralExpression, depth: number, calls: number): Flow[] {
    const { ts } = ctx;
    const out: Flow[] = [];
    for (const p of obj.properties) {
      if (ts.isPropertyAssignment(p)) out.push(...this.flows(p.initializer, depth, calls));
      else if (ts.isSpreadAssignment(p)) out.push(...this.flows(p.expression, depth, calls));
      else if (ts.isShorthandPropertyAssignment(p)) out.push(...this.flows(p.name, depth, calls));
    }
    return out;
  }

  private identifierFlows(ctx: RuleContext, id: ts.Identifier, depth: number, calls: number): Flow[] {
    const { ts } = ctx;
    // `{ email }`: the shorthand's name is the property; its value is the variable.
    let symbol = ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id ? ctx.checker.getShorthandAssignmentValueSymbol(id.parent) : ctx.checker.getSymbolAtLocation(id);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!decl) return [];
    const guards = guardsAt(ctx, id);
    return this.declarationFlows(ctx, decl, id, depth, calls).map((f) => withGuards(f, guards));
  }

  private declarationFlows(ctx: RuleContext, decl: ts.Declaration, use: ts.Node, depth: number, calls: number): Flow[] {
    const { ts } = ctx;
    const dctx = this.ctxOf(decl);
    if (decl.getSourceFile().isDeclarationFile) return [];
    if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
      const step: Step = { node: decl.name, message: `\`${decl.name.text}\` holds it` };
      const loop = decl.parent.parent;
      if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return this.flows(loop.expression, depth, calls).map((f) => append(f, [step]));
      const writes = variableWrites(dctx, decl) ?? (decl.initializer ? [decl.initializer] : []);
      return this.union(writes, depth, calls).map((f) => append(f, [step]));
    }
    if (ts.isBindingElement(decl)) return this.bindingFlows(dctx, decl, depth, calls);
    if (ts.isParameter(decl)) return this.parameterFlows(dctx, decl, depth, calls);
    return [];
  }

  /** `const { q } = req.query` / `({ body }) => …`: a member of what the pattern destructures. */
  private bindingFlows(ctx: RuleContext, element: ts.BindingElement, depth: number, calls: number): Flow[] {
    const { ts } = ctx;
    const direct = parameterSource(ctx, element);
    if (direct) return [{ origin: { kind: 'source', source: direct }, steps: [sourceStep(direct)], transforms: [], guards: [] }];
    let n: ts.Node = element;
    while (ts.isBindingElement(n)) n = n.parent.parent;
    const step: Step = { node: element, message: `\`${element.name.getText()}\` is read from it` };
    if (ts.isVariableDeclaration(n)) {
      const loop = n.parent.parent;
      const from = ts.isForOfStatement(loop) ? loop.expression : n.initializer;
      return from ? this.flows(from, depth, calls).map((f) => append(named(ts, f, from, element), [step])) : [];
    }
    if (ts.isParameter(n)) return this.parameterFlows(ctx, n, depth, calls).map((f) => append(f, [step]));
    return [];
  }

  private parameterFlows(ctx: RuleContext, param: ts.ParameterDeclaration, depth: number, calls: number): Flow[] {
    const { ts } = ctx;
    const direct = parameterSource(ctx, param);
    if (direct) return [{ origin: { kind: 'source', source: direct }, steps: [sourceStep(direct)], transforms: [], guards: [] }];
    const fn = param.parent;
    const index = fn.parameters.indexOf(param);
    // `rows.map((row) => …)`, `request.json().then((body) => …)`: an element of the receiver.
    const call = fn.parent;
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isCallExpression(call) && call.arguments[0] === fn && ts.isPropertyAccessExpression(call.expression)) {
      const at = ELEMENT_CALLBACKS[call.expression.name.text];
      if (at === index) return this.flows(call.expression.expression, depth, calls).map((f) => append(f, [{ node: param, message: `\`${param.name.getText()}\` is an element of it` }]));
    }
    return [{ origin: { kind: 'param', fn, index }, steps: [{ node: param, message: `\`${functionName(ctx, fn)}\` takes it as \`${param.name.getText()}\`` }], transforms: [], guards: [] }];
  }
}

/** `const { email } = req.body`: the source read right there is named `req.body.email`. */
function named(ts: RuleContext['ts'], f: Flow, from: ts.Expression, element: ts.BindingElement): Flow {
  if (f.origin.kind !== 'source' || f.origin.source.node !== skipOuter(ts, from)) return f;
  const keys: string[] = [];
  for (let n: ts.Node = element; ts.isBindingElement(n); n = n.parent.parent) {
    const key = n.propertyName ?? n.name;
    if (!ts.isObjectBindingPattern(n.parent) || (!ts.isIdentifier(key) && !ts.isStringLiteral(key))) return f;
    keys.unshift(key.text);
  }
  const source = { ...f.origin.source, label: `${f.origin.source.label}.${keys.join('.')}` };
  return { ...f, origin: { kind: 'source', source }, steps: [sourceStep(source), ...f.steps.slice(1)] };
}

function isInert(ts: RuleContext['ts'], e: ts.Expression): boolean {
  return (
    ts.isLiteralExpression(e) ||
    ts.isNoSubstitutionTemplateLiteral(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword ||
    e.kind === ts.SyntaxKind.ThisKeyword ||
    ts.isFunctionLike(e) ||
    ts.isTypeOfExpression(e) ||
    ts.isClassExpression(e)
  );
}

function withGuards(f: Flow, guards: readonly Guard[]): Flow {
  return guards.length === 0 ? f : { ...f, guards: [...f.guards, ...guards] };
}

function append(f: Flow, steps: readonly Step[]): Flow {
  const all = [...f.steps, ...steps.filter((s) => !f.steps.some((x) => x.node === s.node))];
  // Long paths keep where the data entered and the last hops before the sink.
  const kept = all.length > MAX_STEPS ? [all[0], ...all.slice(all.length - MAX_STEPS + 1)] : all;
  return { ...f, steps: kept };
}

/** One flow per origin and treatment (the first found: usually the shortest). */
function distinct(flows: Flow[]): Flow[] {
  const out: Flow[] = [];
  const seen = new Map<ts.Node, Set<string>>();
  for (const f of flows) {
    const node = f.origin.kind === 'source' ? f.origin.source.node : f.origin.fn;
    const key = `${f.origin.kind === 'param' ? f.origin.index : 's'}|${f.transforms.map((t) => t.kind).join(',')}|${f.guards.length}`;
    const keys = seen.get(node) ?? new Set<string>();
    if (keys.has(key)) continue;
    keys.add(key);
    seen.set(node, keys);
    out.push(f);
    if (out.length >= MAX_FLOWS) break;
  }
  return out;
}
