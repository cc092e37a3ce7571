// Fastify decorations: `fastify.decorate('authenticate', async (req, reply) => …)` makes
// `fastify.authenticate` the hook routes name in `onRequest: [fastify.authenticate]`.
// The type checker only sees the interface augmentation; the value is in the decorate
// call, indexed once per program by name.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from '../shared/callee';
import { contextFor } from './location';

const cache = new WeakMap<ts.Program, Map<string, ts.Expression>>();

/** The value a Fastify instance was decorated with under `name`, when the program decorates one. */
export function fastifyDecoration(ctx: RuleContext, name: string): ts.Expression | undefined {
  let index = cache.get(ctx.program);
  if (!index) cache.set(ctx.program, (index = build(ctx)));
  return index.get(name);
}

function build(ctx: RuleContext): Map<string, ts.Expression> {
  const index = new Map<string, ts.Expression>();
  for (const sf of ctx.program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/') || !sf.text.includes('.decorate(')) continue;
    const fileCtx = contextFor(ctx, sf);
    const { ts } = fileCtx;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'decorate' && n.arguments.length >= 2) {
        const key = skipOuter(ts, n.arguments[0]);
        if (ts.isStringLiteralLike(key) && !index.has(key.text) && isFastify(fileCtx, n)) index.set(key.text, n.arguments[1]);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return index;
}

function isFastify(ctx: RuleContext, call: ts.CallExpression): boolean {
  const origin = originOf(ctx, (call.expression as ts.PropertyAccessExpression).expression);
  return origin ? origin.module === 'fastify' : resolveCall(ctx, call)?.module === 'fastify';
}
