// path-traversal: untrusted data (request, Lambda event, WebSocket message) choosing a
// file-system path — node fs, fs-extra, Express `res.sendFile`/`res.download` without
// `root` — directly or through project helpers, found by the taint engine. A path made
// with `path.basename`, or resolved and then checked to stay under a root, is safe.
// Offers to keep only the file name when a fixed directory is joined with the value.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { relatedSteps, type SinkSpec, type TaintedSink, type TransformKind, taintRule, throughHelper } from '../taint';
import { basenameFix } from './path-traversal/basename-fix';
import { isContainmentGuard } from './path-traversal/guards';
import { pathSinksAt } from './path-traversal/sinks';

const spec: SinkSpec = {
  id: 'path-traversal',
  sinksAt: pathSinksAt,
  // Only the last segment is left: no directory part to climb out with.
  isSanitizer: (kind: TransformKind) => kind === 'basename',
  isGuard: (ctx, guard) => isContainmentGuard(ctx, guard),
  // Browser data never reaches a server's file system.
  sourceKinds: ['request', 'lambda', 'websocket'],
};

export const rule: Rule = taintRule(
  {
    id: 'path-traversal',
    category: 'security',
    cwe: [22],
    defaultSeverity: 'error',
    description: 'Untrusted input chooses a file-system path that is read, written or sent without being confined to a directory.',
    fixable: true,
  },
  spec,
  report,
);

function report(ctx: RuleContext, found: TaintedSink): void {
  const via = throughHelper(found);
  const message = `\`${found.source.label}\` reaches the path of \`${found.sink.label}\`${via}: keep only \`path.basename\` of it, or resolve it under a fixed directory and check the result still starts with that directory.`;
  const arg: ts.Expression | undefined = found.viaHelper ? undefined : found.sink.expr;
  ctx.report({
    node: found.reportNode,
    message,
    related: relatedSteps(found),
    fixes: arg ? () => [basenameFix(ctx, arg)].filter((f) => f !== undefined) : undefined,
  });
}
