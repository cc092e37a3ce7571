// unbounded-body-read: the request body read into memory with no size cap (node:http `data`
// accumulation, raw-body without `limit`, Fastify/Koa body limits above 10 MB or Infinity).
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { byteSizeOf, formatBytes } from '../edge-cases/upload-without-size-limit/sizes';
import { skipOuter } from '../shared/callee';
import { findRouteHandlers } from '../shared/http';
import { isTestModule } from '../shared/module-imports';
import { insertProperty, propertyOf } from '../shared/option-objects';
import { shortText } from '../shared/source-text';
import { bodyReaderOf, limitProblemsOf, type BodyReader, type LimitProblem } from '../shared/unbounded-body-read-options';
import { streamAccumulationAt } from '../shared/unbounded-body-read-streams';

/** A body held in memory above this is an upload in disguise (the same bar as upload-without-size-limit). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const rule: Rule = {
  id: 'unbounded-body-read',
  category: 'performance',
  cwe: [770, 400],
  defaultSeverity: 'warning',
  description: 'The request body is read into memory with no size cap, so one large request can exhaust the heap.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      const stream = streamAccumulationAt(ctx, node);
      if (stream) {
        ctx.report({
          node: stream.node,
          message: `\`${shortText(ctx, stream.request)}\`'s body is accumulated in memory with no byte count, so one large or endless request exhausts the heap: count the bytes received and stop (413) above a limit, or use a body parser with a \`limit\`.`,
          related: [{ node: stream.accumulation, message: 'each chunk is kept here' }],
        });
      }
      if (ts.isCallExpression(node)) {
        const reader = bodyReaderOf(ctx, node);
        if (reader) for (const problem of limitProblemsOf(ctx, reader, tooBig(ctx))) reportLimit(ctx, reader, problem);
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
    checkFastifyRouteLimits(ctx);
  },
};

function tooBig(ctx: RuleContext): (value: ts.Expression) => boolean {
  return (value) => {
    const bytes = byteSizeOf(ctx, value);
    return bytes !== undefined && bytes > MAX_BODY_BYTES;
  };
}

function reportLimit(ctx: RuleContext, reader: BodyReader, problem: LimitProblem): void {
  if (problem.kind === 'huge') {
    const bytes = byteSizeOf(ctx, problem.value)!;
    ctx.report({
      node: problem.value.parent,
      message: `\`${problem.name}\` of \`${reader.label}\` lets a request body of ${formatBytes(bytes)} be buffered in memory: lower it to what the endpoint needs (1 MB covers most JSON APIs) and stream large uploads.`,
      fixes: () => [replaceFix(ctx, problem.name, problem.value, reader.fixValue)],
    });
    return;
  }
  ctx.report({
    node: reader.call,
    message: `\`${reader.label}\` reads the whole request body into memory with no \`limit\`, so one large request exhausts the heap: pass \`{ limit: '1mb' }\` (or what the endpoint needs).`,
    fixes: () => [addLimitFix(ctx, reader, problem)],
  });
}

function replaceFix(ctx: RuleContext, name: string, value: ts.Expression, newValue: string): Fix {
  return { title: `Set \`${name}\` to ${newValue}`, isPreferred: true, edits: [{ fileName: ctx.fileName, start: value.getStart(), end: value.getEnd(), newText: newValue }] };
}

function addLimitFix(ctx: RuleContext, reader: BodyReader, problem: Extract<LimitProblem, { kind: 'missing' }>): Fix {
  const title = "Limit the body to '1mb'";
  if (problem.options) return { title, isPreferred: true, edits: [insertProperty(ctx, problem.options, `limit: ${reader.fixValue}`)] };
  if (problem.encoding) {
    const e = problem.encoding;
    return { title, isPreferred: true, edits: [{ fileName: ctx.fileName, start: e.getStart(), end: e.getEnd(), newText: `{ limit: ${reader.fixValue}, encoding: ${e.getText()} }` }] };
  }
  const last = reader.call.arguments[reader.call.arguments.length - 1];
  return { title, isPreferred: true, edits: [{ fileName: ctx.fileName, start: last.getEnd(), end: last.getEnd(), newText: `, { limit: ${reader.fixValue} }` }] };
}

/** Fastify's per-route `bodyLimit` in the route options object. */
function checkFastifyRouteLimits(ctx: RuleContext): void {
  const seen = new Set<ts.Node>();
  const big = tooBig(ctx);
  for (const h of findRouteHandlers(ctx)) {
    if (h.framework !== 'fastify' || !h.routeOptions || seen.has(h.routeOptions)) continue;
    seen.add(h.routeOptions);
    const p = propertyOf(ctx, h.routeOptions, 'bodyLimit');
    if (!p?.found || !big(p.value)) continue;
    const bytes = byteSizeOf(ctx, p.value)!;
    const route = `${(h.method ?? 'route').toUpperCase()}${h.path ? ` ${h.path}` : ''}`;
    const value = skipOuter(ctx.ts, p.value);
    ctx.report({
      node: p.property,
      message: `\`bodyLimit\` of \`${route}\` lets a request body of ${formatBytes(bytes)} be buffered in memory: lower it to what the route needs (Fastify's default is 1 MB) and stream large uploads.`,
      fixes: () => [replaceFix(ctx, 'bodyLimit', value, '1_048_576')],
    });
  }
}
