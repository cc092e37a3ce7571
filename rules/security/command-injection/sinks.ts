// Where a command line reaches a shell, or a program name reaches process creation:
// child_process exec/execSync (always a shell), spawn/execFile and their sync forms with
// `shell` on or with `sh -c`-style arguments, execa's command forms, shelljs `exec`.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, resolveCall, skipOuter } from '../../shared/callee';
import { constantString } from '../../shared/constant-values';
import type { Sink } from '../../taint';

export type CommandSinkForm = 'shell-command' | 'shell-argument' | 'program';

/** Calls that always run their first argument through a shell. */
const SHELL_COMMAND: Readonly<Record<string, readonly string[]>> = {
  child_process: ['exec', 'execSync'],
  shelljs: ['exec'],
  execa: ['execaCommand', 'execaCommandSync'],
};
/** Calls that start a program directly, through a shell only when `shell` is set. */
const PROGRAM: Readonly<Record<string, readonly string[]>> = {
  child_process: ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork'],
  execa: ['execa', 'execaSync'],
  'cross-spawn': ['spawn', 'sync', 'default'],
};
const DIRECT_NAMES = new Set([...Object.values(SHELL_COMMAND), ...Object.values(PROGRAM)].flat().concat(['crossSpawn']));
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'cmd', 'cmd.exe', 'powershell', 'powershell.exe', 'pwsh']);
const SHELL_FLAGS = new Set(['-c', '/c', '/C', '-Command', '-command']);

export function commandSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return [];
  const callee = skipOuter(ts, node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (!name || !(DIRECT_NAMES.has(name) || (ts.isIdentifier(callee) && mayBePromisified(ctx, callee)))) return [];
  const target = resolveCall(ctx, node) ?? undefined;
  const promisified = target && target.module !== 'util' ? undefined : promisifiedTarget(ctx, callee);
  const { module, name: called } = promisified ?? { module: target?.module, name: target?.name };
  if (!module || !called || !target) return [];
  const label = promisified ? `${name} (promisified ${called})` : name;
  if (SHELL_COMMAND[module]?.includes(called)) return [{ expr: node.arguments[0], label, data: 'shell-command' satisfies CommandSinkForm }];
  const isProgramCall = PROGRAM[module]?.includes(called) || (module === 'cross-spawn' && target.via === 'imports');
  if (!isProgramCall) return [];
  const [program, args] = node.arguments;
  const sinks: Sink[] = [{ expr: program, label, data: 'program' satisfies CommandSinkForm }];
  const argList = args && ts.isArrayLiteralExpression(skipOuter(ts, args)) ? (skipOuter(ts, args) as ts.ArrayLiteralExpression) : undefined;
  if (hasShellOption(ctx, node)) {
    sinks[0] = { expr: program, label, data: 'shell-command' satisfies CommandSinkForm };
    if (args && !ts.isObjectLiteralExpression(skipOuter(ts, args))) sinks.push({ expr: args, label, data: 'shell-command' satisfies CommandSinkForm });
  } else if (argList && SHELLS.has(baseName(constantString(ctx, program) ?? ''))) {
    // spawn('sh', ['-c', cmd]): the element after the flag is a shell command line.
    const flag = argList.elements.findIndex((el) => SHELL_FLAGS.has(constantString(ctx, el) ?? ''));
    const command = flag >= 0 ? argList.elements[flag + 1] : undefined;
    if (command && !ts.isSpreadElement(command)) sinks.push({ expr: command, label: `${label}('${constantString(ctx, program)}', ['${constantString(ctx, argList.elements[flag])}', …])`, data: 'shell-argument' satisfies CommandSinkForm });
  }
  return sinks;
}

/** `const run = promisify(exec)` / `util.promisify(cp.exec)`: cheap syntactic test before resolving. */
function promisifyArgument(ctx: RuleContext, callee: ts.Expression): ts.Expression | undefined {
  const { ts } = ctx;
  if (!ts.isIdentifier(callee)) return undefined;
  const decl = ctx.checker.getSymbolAtLocation(callee)?.valueDeclaration;
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(ts, decl.initializer) : undefined;
  if (!init || !ts.isCallExpression(init) || init.arguments.length !== 1) return undefined;
  const fn = skipOuter(ts, init.expression);
  const fnName = ts.isIdentifier(fn) ? fn.text : ts.isPropertyAccessExpression(fn) ? fn.name.text : undefined;
  return fnName === 'promisify' ? init.arguments[0] : undefined;
}

function mayBePromisified(ctx: RuleContext, callee: ts.Identifier): boolean {
  return promisifyArgument(ctx, callee) !== undefined;
}

/** What a promisified function wraps: `child_process`'s `exec`. */
function promisifiedTarget(ctx: RuleContext, callee: ts.Expression): { module: string; name: string } | undefined {
  const arg = promisifyArgument(ctx, callee);
  const origin = arg && originOf(ctx, arg);
  if (!origin) return undefined;
  const path = [...origin.exportPath, ...origin.members];
  return path.length === 1 ? { module: origin.module, name: path[0] } : undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `{ shell: true }` / `{ shell: '/bin/bash' }` among the options (the last object-literal argument). */
function hasShellOption(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const options = [...call.arguments].reverse().map((a) => skipOuter(ts, a)).find(ts.isObjectLiteralExpression);
  const shell = options?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'shell');
  if (!shell) return false;
  const value = skipOuter(ts, shell.initializer);
  return value.kind !== ts.SyntaxKind.FalseKeyword && !(ts.isIdentifier(value) && value.text === 'undefined');
}
