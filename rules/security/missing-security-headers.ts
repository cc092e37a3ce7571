// missing-security-headers: an Express app that serves HTTP while nothing in its package
// installs security-headers middleware (helmet, lusca, or its own CSP/HSTS/nosniff headers).
// One finding per app, on the `express()` call; the `use`s are looked up package-wide,
// so an app created in app.ts and configured in server.ts is judged as one.
import type { Rule } from '../api';
import { isTestModule } from '../shared/module-imports';
import { appIndex, holderOf, isExpressAppCall, mayApplyTo } from '../shared/security-headers-apps';
import { helmetEdits } from '../shared/security-headers-fix';
import { headersMiddleware } from '../shared/security-headers-middleware';
import { shortText } from '../shared/source-text';
import { forEachCall } from '../shared/walk';

export const rule: Rule = {
  id: 'missing-security-headers',
  category: 'security',
  cwe: [693],
  defaultSeverity: 'warning',
  description: 'An Express app serves HTTP without security-headers middleware such as helmet.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx) || !ctx.sourceFile.text.includes('express')) return;
    forEachCall(ctx, (call) => {
      if (!isExpressAppCall(ctx, call)) return;
      const holder = holderOf(ctx, call);
      const index = appIndex(ctx);
      // An app nobody routes, listens on, exports or hands on serves nothing.
      const exportedDirectly = ctx.ts.isExportAssignment(call.parent);
      if (!exportedDirectly && (!holder || !index.referenced.has(holder))) return;
      const covered = index.uses.some((u) => (!u.paths || u.paths.includes('/')) && mayApplyTo(index, u, holder) && u.middleware.some((m) => headersMiddleware(u.ctx, m)));
      if (covered) return;
      const name = holder && (holder as { name?: import('ts-morph').ts.Node }).name;
      const app = name ? shortText(ctx, name) : 'app';
      const hasHelmet = ctx.project.hasDependency(ctx.fileName, 'helmet');
      const edits = hasHelmet && holder ? helmetEdits(ctx, holder) : undefined;
      ctx.report({
        node: call,
        message: hasHelmet
          ? `Express app \`${app}\` sets no security headers (CSP, HSTS, nosniff): add \`${app}.use(helmet())\` before its routes.`
          : `Express app \`${app}\` sets no security headers (CSP, HSTS, nosniff): add the helmet package and \`${app}.use(helmet())\` before its routes.`,
        fixes: edits ? () => [{ title: `Add ${app}.use(helmet())`, isPreferred: true, safe: false, edits }] : undefined,
      });
    });
  },
};
