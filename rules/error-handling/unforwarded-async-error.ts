// unforwarded-async-error: an async (or promise-returning) Express 4 route handler or
// middleware whose rejection never reaches `next` — Express 4 ignores the promise, so
// the client waits for an answer that never comes and the rejection goes unhandled.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { findRouteHandlers, registrationsOf, type RouteHandler } from '../shared/http';
import { isTestModule } from '../shared/module-imports';
import { handlerLabel } from './unguarded-external-call/failure-path';
import { buildFix } from './unforwarded-async-error/fix';
import { projectLosesRejections, wrapperOf } from './unforwarded-async-error/forwarding';
import { isAsyncFunction, rejectionsOf, type Rejection } from './unforwarded-async-error/rejections';

export const rule: Rule = {
  id: 'unforwarded-async-error',
  category: 'error-handling',
  cwe: [755],
  defaultSeverity: 'warning',
  description: 'An async Express 4 handler whose rejection is not passed to `next` leaves the request hanging and the rejection unhandled.',
  needsTypes: true,
  fixable: true,
  concerns: ['errorHandling'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    const handlers = expressHandlersOfFile(ctx);
    if (!handlers.length || !projectLosesRejections(ctx)) return;
    for (const handler of handlers) {
      if (ctx.isCancellationRequested()) return;
      checkHandler(ctx, handler);
    }
  },
};

/** Express handlers whose function is in this file: registered here, or by name from another file. */
function expressHandlersOfFile(ctx: RuleContext): RouteHandler[] {
  const { ts } = ctx;
  const byFn = new Map<ts.Node, RouteHandler>();
  const add = (h: RouteHandler) => {
    if (h.framework === 'express' && h.fn.getSourceFile() === ctx.sourceFile && !byFn.has(h.fn)) byFn.set(h.fn, h);
  };
  findRouteHandlers(ctx).forEach(add);
  const visit = (node: ts.Node): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.body && !byFn.has(node) && mayReturnPromise(ctx, node)) {
      registrationsOf(ctx, node).forEach(add);
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return [...byFn.values()];
}

function mayReturnPromise(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): boolean {
  return isAsyncFunction(ctx.ts, fn) || fn.parameters.length >= 2;
}

function checkHandler(ctx: RuleContext, handler: RouteHandler): void {
  const { ts } = ctx;
  const fn = handler.fn;
  const isAsync = isAsyncFunction(ts, fn);
  const rejections = rejectionsOf(ctx, fn);
  if (!rejections.length) return;
  const wrapper = wrapperOf(ctx, handler);
  if (wrapper.kind === 'forwards') return;
  const label = handlerLabel(ctx, handler);
  const first = rejections[0];
  const what = describe(ctx, first);
  const kind = isAsync ? 'async Express 4 handler' : 'Express 4 handler returning a promise';
  const through = wrapper.kind === 'drops' ? ` (\`${wrapper.name}\` does not catch it)` : '';
  ctx.report({
    ...anchorOf(ctx, handler),
    message: `${capitalise(label)} is an ${kind} whose rejection ${what} never reaches \`next\`${through}: catch it and call \`next(err)\`, or the request hangs.`,
    related: [
      ...rejections.map((r) => ({ node: r.node, message: `can reject here (${r.kind === 'parse' ? 'JSON.parse throws' : r.kind})` })),
      ...(wrapper.kind === 'drops' ? [{ node: wrapper.wrapper, message: `\`${wrapper.name}\` passes the handler on without catching its rejection` }] : []),
    ],
    fixes: () => {
      const fix = buildFix(ctx, handler, rejections, isAsync, wrapper.kind === 'drops');
      return fix ? [fix] : [];
    },
  });
}

/**
 * The `async` keyword (else the function's name, else its head up to `=>`), from the
 * route's method when an inline handler follows it on the same line: method and path tell two
 * handlers apart, so each finding keeps its identity while the others are fixed.
 */
function anchorOf(ctx: RuleContext, handler: RouteHandler): { start: number; end: number } {
  const { ts } = ctx;
  const fn = handler.fn;
  const sf = ctx.sourceFile;
  const asyncKeyword = (ts.getModifiers(fn as ts.FunctionLikeDeclaration & ts.HasModifiers) ?? []).find((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const head = asyncKeyword ?? fn.name;
  const start = head ? head.getStart(sf) : fn.getStart(sf);
  const end = head ? head.getEnd() : ts.isArrowFunction(fn) ? fn.equalsGreaterThanToken.getEnd() : fn.parameters.end + 1;
  const reg = handler.registration;
  const method = ts.isCallExpression(reg) && ts.isPropertyAccessExpression(reg.expression) ? reg.expression.name : undefined;
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  const inline = ts.isArrowFunction(fn) || ts.isFunctionExpression(fn);
  if (inline && method && method.getSourceFile() === sf && method.end <= start && line(method.getStart(sf)) === line(start)) return { start: method.getStart(sf), end };
  return { start, end };
}

/** "(from `await db.user.findUnique(…)`)": the first place it can reject, named by its code. */
function describe(ctx: RuleContext, r: Rejection): string {
  const text = r.node.getText(ctx.sourceFile).replace(/\s+/g, ' ');
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  const code = r.kind === 'throw' || r.kind === 'return' ? short.replace(/;$/, '') : short;
  return `(from \`${code}\`)`;
}

function capitalise(s: string): string {
  return s.startsWith('the ') ? `The ${s.slice(4)}` : s;
}
