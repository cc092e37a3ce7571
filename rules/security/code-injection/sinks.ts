// Where a string becomes code: the global `eval` and `Function` constructor, node:vm's
// compile-and-run calls, sandbox packages with known escapes (vm2, safe-eval), and a
// string given to `setTimeout`/`setInterval` (only browsers compile it: Node throws).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, resolveCall, skipOuter } from '../../shared/callee';
import type { Sink } from '../../taint';

export type CodeSinkForm = 'eval' | 'function' | 'vm' | 'sandbox' | 'timer';

const VM_CALLS = new Set(['runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction']);
const VM_CONSTRUCTORS = new Set(['Script']);
const SANDBOX_METHODS: Readonly<Record<string, ReadonlySet<string>>> = { vm2: new Set(['run']) };
const SANDBOX_CONSTRUCTORS: Readonly<Record<string, ReadonlySet<string>>> = { vm2: new Set(['VMScript']) };
/** Packages whose default/module export evaluates its first argument. */
const SANDBOX_FUNCTIONS = new Set(['safe-eval']);
const TIMERS = new Set(['setTimeout', 'setInterval']);
const CHEAP_NAMES = new Set(['eval', 'Function', 'run', ...VM_CALLS, ...VM_CONSTRUCTORS, ...SANDBOX_CONSTRUCTORS.vm2, ...TIMERS]);

/** `eval`, `Function`, `setTimeout` as the globals (declared only in .d.ts files), not a project function of that name. */
function isGlobalBuiltin(ctx: RuleContext, callee: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, callee);
  const name = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) ? e.name : undefined;
  if (!name) return false;
  if (ts.isPropertyAccessExpression(e)) {
    // `window.eval`, `globalThis.setTimeout`: the global object's member only.
    const owner = skipOuter(ts, e.expression);
    if (!ts.isIdentifier(owner) || !['window', 'globalThis', 'self'].includes(owner.text)) return false;
  }
  const symbol = ctx.checker.getSymbolAtLocation(name);
  const decls = symbol?.declarations ?? [];
  return decls.length > 0 && !(symbol!.flags & ts.SymbolFlags.Alias) && decls.every((d) => d.getSourceFile().isDeclarationFile);
}

/** `const safeEval = require('safe-eval')` / `import safeEval from 'safe-eval'`, called as is. */
function isSandboxFunction(ctx: RuleContext, callee: ts.Identifier): boolean {
  const origin = originOf(ctx, callee);
  return !!origin && SANDBOX_FUNCTIONS.has(origin.module) && origin.members.length === 0 && origin.exportPath.every((p) => p === 'default');
}

function calleeName(ctx: RuleContext, callee: ts.Expression): string | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, callee);
  return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
}

function isStringValued(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isTemplateExpression(x) || ts.isStringLiteralLike(x)) return true;
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) return isStringValued(ctx, x.left) || isStringValued(ctx, x.right);
  const type = ctx.checker.getTypeAtLocation(x);
  return !!(type.flags & ts.TypeFlags.StringLike);
}

export function codeSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (!(ts.isCallExpression(node) || ts.isNewExpression(node)) || !node.arguments?.length) return [];
  const args = node.arguments;
  const name = calleeName(ctx, node.expression);
  const isNew = ts.isNewExpression(node);
  if (name === undefined) return [];
  if (name === 'eval' && !isNew && isGlobalBuiltin(ctx, node.expression)) return [{ expr: args[0], label: 'eval', data: 'eval' satisfies CodeSinkForm }];
  if (name === 'Function' && isGlobalBuiltin(ctx, node.expression)) {
    // Every argument is code: the parameter list as much as the body.
    const label = isNew ? 'new Function' : 'Function';
    return args.filter((a) => !ts.isSpreadElement(a)).map((a) => ({ expr: a, label, data: 'function' satisfies CodeSinkForm }));
  }
  if (TIMERS.has(name) && !isNew && isGlobalBuiltin(ctx, node.expression) && isStringValued(ctx, args[0])) return [{ expr: args[0], label: name, data: 'timer' satisfies CodeSinkForm }];
  const callee = skipOuter(ts, node.expression);
  // safe-eval is imported under a name of the caller's choosing: ask the imports (cheap) first.
  if (!CHEAP_NAMES.has(name)) return !isNew && ts.isIdentifier(callee) && isSandboxFunction(ctx, callee) ? [{ expr: args[0], label: originOf(ctx, callee)!.module, data: 'sandbox' satisfies CodeSinkForm }] : [];
  const target = resolveCall(ctx, node);
  const module = target?.module;
  if (!target || !module) return [];
  if (module === 'vm' && (isNew ? VM_CONSTRUCTORS.has(target.name) : VM_CALLS.has(target.name))) {
    return [{ expr: args[0], label: isNew ? 'new vm.Script' : `vm.${target.name}`, data: 'vm' satisfies CodeSinkForm }];
  }
  const sandbox = isNew ? SANDBOX_CONSTRUCTORS[module] : SANDBOX_METHODS[module];
  if (sandbox?.has(target.name) && (isNew || target.owner === 'VM' || target.owner === 'NodeVM')) {
    return [{ expr: args[0], label: isNew ? `new ${target.name} (${module})` : `${target.owner}.run (${module})`, data: 'sandbox' satisfies CodeSinkForm }];
  }
  return [];
}
