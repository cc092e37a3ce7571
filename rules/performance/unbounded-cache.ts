// unbounded-cache: a module-level Map/Set/object/array that request handling grows and nothing ever trims.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { moduleContainers, usesOf, type Container, type Growth } from '../shared/unbounded-cache-uses';
import { requestPathOf, type RequestPath } from '../shared/unbounded-query-request-path';
import { flowsOf, isAllowListGuard } from '../taint';

const LRU_LIBRARIES = ['lru-cache', 'quick-lru', 'node-cache', 'tiny-lru', 'mnemonist'];

export const rule: Rule = {
  id: 'unbounded-cache',
  category: 'performance',
  cwe: [401, 770],
  defaultSeverity: 'warning',
  description: 'A module-level Map, Set, object or array grows with every request and is never trimmed, so memory grows until the process dies.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    for (const container of moduleContainers(ctx)) {
      if (ctx.isCancellationRequested()) return;
      const uses = usesOf(ctx, container);
      if (uses.bounded) continue;
      for (const growth of uses.growths) {
        const found = perRequestGrowth(ctx, container, growth);
        if (found) {
          report(ctx, container, growth, found);
          break;
        }
      }
    }
  },
};

interface PerRequest {
  readonly path: RequestPath;
  /** How request data reaches the added key or value, when it does. */
  readonly source?: string;
  readonly sourceNode?: ts.Node;
}

function perRequestGrowth(ctx: RuleContext, c: Container, growth: Growth): PerRequest | undefined {
  const { ts } = ctx;
  // Only the key makes a Map or object grow: `cache.set('latest', x)` replaces one entry.
  const added = c.kind === 'Map' || c.kind === 'object' ? growth.added.slice(0, 1) : growth.added;
  if (added.length === 0 || ((c.kind === 'Map' || c.kind === 'object') && isFixedKey(ts, added[0]))) return undefined;
  const path = requestPathOf(ctx, growth.node);
  if (!path) return undefined;
  for (const expr of added) {
    const flows = flowsOf(ctx, expr).filter((f) => f.origin.kind === 'source' && f.origin.source.kind === 'request');
    // A key checked against an allow-list can take only the values listed.
    if (flows.some((f) => f.guards.some((g) => isAllowListGuard(ctx, g)))) return undefined;
    const flow = flows[0];
    if (flow && flow.origin.kind === 'source') return { path, source: flow.origin.source.label, sourceNode: flow.origin.source.node };
  }
  return path.direct && runsEveryTime(ctx, growth.node, path.handler.fn) ? { path } : undefined;
}

function isFixedKey(ts: RuleContext['ts'], key: ts.Expression): boolean {
  const k = skipOuter(ts, key);
  return ts.isStringLiteralLike(k) || ts.isNumericLiteral(k);
}

/** No branch, loop or callback between the handler's start and the growth: it happens on every call. */
function runsEveryTime(ctx: RuleContext, node: ts.Node, fn: ts.Node): boolean {
  const { ts } = ctx;
  for (let n: ts.Node | undefined = node.parent; n && n !== fn; n = n.parent) {
    if (ts.isIfStatement(n) || ts.isConditionalExpression(n) || ts.isSwitchStatement(n) || ts.isCatchClause(n) || ts.isIterationStatement(n, false) || ts.isFunctionLike(n)) return false;
    if (ts.isBinaryExpression(n) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(n.operatorToken.kind)) return false;
  }
  return true;
}

function report(ctx: RuleContext, c: Container, growth: Growth, found: PerRequest): void {
  const name = c.decl.name.text;
  const what = c.kind === 'Map' || c.kind === 'Set' ? `module-level \`${c.kind}\`` : c.kind === 'array' ? 'module-level array' : 'module-level object';
  const h = found.path.handler;
  const route = h.method && h.method !== 'use' ? ` to \`${h.method.toUpperCase()}${h.path ? ` ${h.path}` : ''}\`` : '';
  const part = c.kind === 'Map' || c.kind === 'object' ? 'a key' : 'values';
  const why = found.source ? `with ${part} taken from \`${found.source}\` on each request${route}` : `on every request${route}`;
  const lru = LRU_LIBRARIES.find((l) => ctx.project.hasDependency(ctx.fileName, l));
  const remedy = lru ? `use ${lru} with a size bound (or a TTL) instead` : 'cap its size and evict old entries, or use an LRU cache such as lru-cache';
  ctx.report({
    node: growth.node,
    message: `\`${growth.label}\` grows the ${what} \`${name}\` ${why} and nothing ever removes entries, so memory grows until the process dies: ${remedy}.`,
    related: [
      ...(found.sourceNode ? [{ fileName: found.sourceNode.getSourceFile().fileName, node: found.sourceNode, message: `request data \`${found.source}\` enters here`, step: true }] : []),
      { node: c.decl, message: `\`${name}\` is declared here and never deleted from, cleared or size-checked` },
    ],
  });
}
