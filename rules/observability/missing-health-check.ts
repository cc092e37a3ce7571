// missing-health-check: an Express app with routes, in a package where no route answers a
// health or readiness path (`/health`, `/healthz`, `/ready`, `/live`, `/status`, `/ping`)
// and no health library is wired (terminus, express-healthcheck, lightship). Load
// balancers and orchestrators then probe a real endpoint or nothing: a hung process keeps
// its traffic. One finding per app; the fix adds a minimal `GET /health`.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { constantString } from '../shared/constant-values';
import { appInsertion, placed } from '../shared/express-app-edits';
import { isTestModule } from '../shared/module-imports';
import { appIndex, holderOf, isExpressAppCall, routesOf, type AppIndex } from '../shared/security-headers-apps';
import { fileStyle } from '../shared/logger';
import { forEachCall } from '../shared/walk';

const HEALTH_SEGMENTS = new Set(['health', 'healthz', 'healthcheck', 'health-check', '_health', 'ready', 'readyz', 'readiness', 'live', 'livez', 'liveness', 'status', 'ping', 'heartbeat']);
const HEALTH_LIBRARIES = new Set(['@godaddy/terminus', 'express-healthcheck', 'express-health-check', 'lightship', '@cloudnative/health-connect', 'express-actuator']);

export const rule: Rule = {
  id: 'missing-health-check',
  category: 'observability',
  cwe: [],
  defaultSeverity: 'info',
  description: 'An Express app has no health or readiness route for load balancers and orchestrators to probe.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx) || !ctx.sourceFile.text.includes('express')) return;
    forEachCall(ctx, (call) => {
      if (!isExpressAppCall(ctx, call)) return;
      const holder = holderOf(ctx, call);
      if (!holder) return;
      const index = appIndex(ctx);
      if (routesOf(index, holder).length === 0 || hasHealthRoute(ctx, index) || usesHealthLibrary(ctx, index)) return;
      const name = ctx.ts.isVariableDeclaration(holder) && ctx.ts.isIdentifier(holder.name) ? holder.name.text : 'app';
      ctx.report({
        node: call,
        message: `Express app \`${name}\` has no health-check route: add \`GET /health\` answering 200 (checking the database when it is a readiness probe) for the load balancer or orchestrator to probe.`,
        fixes: () => healthRouteFix(ctx, holder, name),
      });
    });
  },
};

/** Any route in the package whose constant path ends in a health word (`/api/healthz`, `/_health`). */
function hasHealthRoute(ctx: RuleContext, index: AppIndex): boolean {
  return index.routes.some((r) => {
    const path = r.call.arguments[0] ? constantString(r.ctx, r.call.arguments[0]) : undefined;
    const last = path?.split('/').filter((s) => s.length > 0).pop()?.toLowerCase();
    return !!last && HEALTH_SEGMENTS.has(last);
  });
}

/** A file of the app's package imports or requires a health library (terminus wires itself to the server). */
function usesHealthLibrary(ctx: RuleContext, index: AppIndex): boolean {
  const files = new Set<ts.SourceFile>([...index.uses.map((u) => u.ctx.sourceFile), ...index.routes.map((r) => r.ctx.sourceFile)]);
  return [...files].some((sf) => importedModules(ctx.ts, sf).some((m) => HEALTH_LIBRARIES.has(m)));
}

/** Modules a file imports, or requires at its top level. */
function importedModules(ts: RuleContext['ts'], sf: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier)) out.push(s.moduleSpecifier.text);
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      let init = d.initializer;
      while (init && (ts.isCallExpression(init) || ts.isPropertyAccessExpression(init)) && !(ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require')) init = init.expression;
      if (init && ts.isCallExpression(init) && init.arguments[0] && ts.isStringLiteral(init.arguments[0])) out.push(init.arguments[0].text);
    }
  }
  return out;
}

function healthRouteFix(ctx: RuleContext, holder: ts.Node, name: string): Fix[] {
  const insertion = appInsertion(ctx, holder, name);
  if (!insertion) return [];
  const { quote: q, semicolons } = fileStyle(ctx);
  const semi = semicolons ? ';' : '';
  const text = `// Liveness probe: answers while the process can serve requests.\n${name}.get(${q}/health${q}, (_req, res) => {\n  res.json({ status: ${q}ok${q} })${semi}\n})${semi}\n`;
  return [{ title: `Add \`GET /health\` to \`${name}\``, isPreferred: true, safe: true, edits: [{ fileName: ctx.fileName, start: insertion.at, end: insertion.at, newText: placed(insertion, text) }] }];
}
