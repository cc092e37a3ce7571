// double-submit: a React form's onSubmit or a button's onClick awaits a mutation (a
// POST/PUT/PATCH/DELETE, a server action, a react-query/SWR mutation) with nothing that
// stops a second click while it runs, so an impatient user creates the order twice.
// The fix adds a `submitting` state, an early return and disables the button.
import type { Rule } from '../api';
import { isTestModule } from '../shared/module-imports';
import { pendingGuardFix } from './double-submit/fix';
import { hasPendingGuard } from './double-submit/guards';
import { findSubmitHandlers } from './double-submit/handlers';
import { firstAwaitedMutation } from './double-submit/mutations';

export const rule: Rule = {
  id: 'double-submit',
  category: 'edge-cases',
  cwe: [837],
  defaultSeverity: 'warning',
  description: 'A React submit or click handler awaits a mutation with no pending guard, so a double click sends it twice.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx) || ctx.sourceFile.languageVariant !== ctx.ts.LanguageVariant.JSX) return;
    for (const h of findSubmitHandlers(ctx)) {
      const mutation = firstAwaitedMutation(ctx, h.handler);
      if (!mutation || hasPendingGuard(ctx, h, mutation.await)) continue;
      const attr = h.attribute.getText(ctx.sourceFile).replace(/\s+/g, ' ');
      const where = attr.length <= 48 ? `\`${attr}\`` : `The \`${h.attribute.name.getText(ctx.sourceFile)}\` handler${h.name !== h.attribute.name.getText(ctx.sourceFile) ? ` \`${h.name}\`` : ''}`;
      ctx.report({
        node: h.attribute,
        message: `${where} awaits ${mutation.what} with no pending guard, so a second click sends it again: set a \`submitting\` state before the request, return early while it is set and disable the button with it.`,
        related: [{ node: mutation.await, message: 'The mutation a second click repeats.' }],
        fixes: () => {
          const fix = pendingGuardFix(ctx, h);
          return fix ? [fix] : [];
        },
      });
    }
  },
};
