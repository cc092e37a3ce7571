// permissive-cors: CORS that lets any website make credentialed requests — the `cors`
// middleware or Nest's `enableCors` with `credentials: true` and an origin that allows
// everyone, or `Access-Control-Allow-Origin` echoing the request's Origin unchecked
// next to `Access-Control-Allow-Credentials: true`.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { corsOptionsArgument, permissiveCors, type OpenOrigin } from '../shared/cors-config';
import { allowsCredentials, checksOrigin, headerWrites, reflectedOrigin, type HeaderWrite } from '../shared/cors-headers';
import { isTestModule } from '../shared/module-imports';
import { shortText } from '../shared/source-text';
import { forEachCall } from '../shared/walk';

export const rule: Rule = {
  id: 'permissive-cors',
  category: 'security',
  cwe: [942],
  defaultSeverity: 'warning',
  description: 'CORS lets any origin make credentialed requests: an open or reflected origin together with credentials.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const writesByFunction = new Map<ts.Node, HeaderWrite[]>();
    forEachCall(ctx, (call) => {
      checkCorsOptions(ctx, call);
      const writes = headerWrites(ctx, call);
      if (writes.length) {
        const fn = enclosingFunction(ts, call) ?? ctx.sourceFile;
        writesByFunction.set(fn, [...(writesByFunction.get(fn) ?? []), ...writes]);
      }
    });
    for (const [fn, writes] of writesByFunction) checkHandWrittenCors(ctx, fn, writes);
  },
};

const HOW_OPEN: Record<OpenOrigin, string> = {
  reflected: 'reflects any request origin',
  wildcard: "allows every origin (`'*'`)",
  'default-wildcard': "allows every origin (no `origin` means `'*'`)",
  'always-allows': 'has an `origin` function that accepts every origin',
};

function checkCorsOptions(ctx: RuleContext, call: ts.CallExpression): void {
  const options = corsOptionsArgument(ctx, call);
  if (!options || options === 'none') return;
  const open = permissiveCors(ctx, options);
  if (!open) return;
  ctx.report({
    node: call,
    message: `\`${shortText(ctx, call)}\` ${HOW_OPEN[open.origin]} with \`credentials: true\`: set \`origin\` to an allow-list of the sites that may call this API.`,
    related: open.originNode ? [{ node: open.originNode, message: 'The origin setting' }] : undefined,
  });
}

function checkHandWrittenCors(ctx: RuleContext, fn: ts.Node, writes: readonly HeaderWrite[]): void {
  if (!writes.some((w) => allowsCredentials(ctx, w))) return;
  const calls = new Set(writes.map((w) => w.call));
  for (const write of writes) {
    if (write.name !== 'access-control-allow-origin') continue;
    const origin = reflectedOrigin(ctx, write.value);
    if (!origin || checksOrigin(ctx, fn, origin, calls)) continue;
    ctx.report({
      node: write.call,
      message: `\`${shortText(ctx, write.call.expression)}\` echoes \`${shortText(ctx, origin.read)}\` as \`Access-Control-Allow-Origin\` without checking it while \`Access-Control-Allow-Credentials\` is \`true\`: send it only for origins on an allow-list.`,
      related: [{ node: origin.read, message: 'The request origin, trusted as is', step: true }],
    });
  }
}

function enclosingFunction(ts: RuleContext['ts'], node: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}
