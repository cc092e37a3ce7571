// Plain-text log writes: the global console's methods, process.stdout/stderr.write and
// util.format's result written there. Only string-typed arguments are sinks: console
// prints an object with util.inspect, which quotes and escapes its strings.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import type { Sink } from '../../taint';

const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace']);

export function logSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return [];
  const callee = skipOuter(ts, node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const method = callee.name.text;
  const receiver = skipOuter(ts, callee.expression);
  if (CONSOLE_METHODS.has(method) && ts.isIdentifier(receiver) && receiver.text === 'console') {
    const target = resolveCall(ctx, node);
    if (!target?.isGlobal && target?.module !== 'console' && target?.module !== 'node') return [];
    return node.arguments.filter((a) => isStringTyped(ctx, a)).map((a) => ({ expr: a, label: `console.${method}` }));
  }
  // process.stdout.write(text) / process.stderr.write(text)
  if (method === 'write' && ts.isPropertyAccessExpression(receiver) && (receiver.name.text === 'stdout' || receiver.name.text === 'stderr')) {
    const proc = skipOuter(ts, receiver.expression);
    if (ts.isIdentifier(proc) && proc.text === 'process' && isStringTyped(ctx, node.arguments[0])) return [{ expr: node.arguments[0], label: `process.${receiver.name.text}.write` }];
  }
  return [];
}

function isStringTyped(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isTemplateExpression(x)) return true;
  const type = ctx.checker.getTypeAtLocation(x);
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => !!(t.flags & ts.TypeFlags.StringLike));
}

/** `.replace(/[\r\n]+/g, ' ')`, `.replaceAll('\n', '')`: the call removes line breaks. */
export function stripsLineBreaks(node: ts.Node): boolean {
  const sf = node.getSourceFile();
  const call = node as ts.CallExpression;
  const pattern = call.arguments?.[0];
  if (!pattern) return false;
  const text = pattern.getText(sf);
  const isRegex = text.startsWith('/');
  // A global regex whose class or alternation names CR/LF or all whitespace; a string pattern only with replaceAll.
  if (isRegex) {
    const flags = text.slice(text.lastIndexOf('/') + 1);
    const body = text.slice(1, text.lastIndexOf('/'));
    return flags.includes('g') && (body.includes('\\n') || body.includes('\\s') || body.includes('[^'));
  }
  const method = (call.expression as ts.PropertyAccessExpression).name?.getText(sf);
  return method === 'replaceAll' && (text === "'\\n'" || text === '"\\n"');
}
