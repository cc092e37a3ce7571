// swallowed-error: a `catch` block or a promise `.catch` handler that throws the
// error away — nothing logs it, rethrows it, returns a fallback or answers the
// client — so a production failure leaves no trace. The fix logs it with the
// project's logger and keeps the control flow.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { projectLogger } from '../shared/logger';
import { discardsError, emptyHandlerKind, isThenable, settledElsewhere } from './swallowed-error/discarded';
import { catchClauseFix, promiseCatchFix } from './swallowed-error/fix';
import { describeContext, enclosingFunctionName, promiseOrigin, shortText } from './swallowed-error/naming';

export const rule: Rule = {
  id: 'swallowed-error',
  category: 'observability',
  cwe: [390],
  defaultSeverity: 'warning',
  description: 'A catch block or promise `.catch` handler discards the error: nothing logs, rethrows or answers it.',
  needsTypes: true,
  fixable: true,
  concerns: ['errorHandling'],
  check(ctx) {
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ts.isCatchClause(node)) checkCatchClause(ctx, node);
      else if (ts.isCallExpression(node)) checkPromiseCatch(ctx, node);
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

// ---- try/catch ----

function checkCatchClause(ctx: RuleContext, clause: ts.CatchClause): void {
  if (!discardsError(ctx, clause)) return;
  const context = describeContext(ctx, clause);
  const logger = projectLogger(ctx, clause.block);
  const subject = context.name ? `The error caught in \`${context.name}\`` : context.call ? `The error thrown by \`${context.call}\`` : 'The error caught by this `catch`';
  // Underline the `catch (e)` header, not the whole block.
  const start = clause.getStart(ctx.sourceFile);
  const header = ctx.sourceFile.text.slice(start, clause.block.getStart(ctx.sourceFile)).trimEnd();
  ctx.report({
    start,
    end: start + header.length,
    message: `${subject} is discarded: log it with \`${logger.expression}.error\` or rethrow it.`,
    fixes: () => {
      const fix = catchClauseFix(ctx, clause, logger, context.logMessage);
      return fix ? [fix] : [];
    },
  });
}

// ---- promise.catch(() => {}) / promise.then(f, () => {}) ----

function checkPromiseCatch(ctx: RuleContext, call: ts.CallExpression): void {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return;
  // promise.catch(onRejected) and promise.then(onFulfilled, onRejected)
  const method = callee.name.text;
  const handler = method === 'catch' && call.arguments.length === 1 ? call.arguments[0] : method === 'then' && call.arguments.length === 2 ? call.arguments[1] : undefined;
  const kind = handler && emptyHandlerKind(ctx, handler);
  if (!handler || !kind || !isThenable(ctx, callee.expression) || settledElsewhere(ctx, call, callee.expression)) return;
  const origin = promiseOrigin(ctx, callee.expression);
  const logger = projectLogger(ctx, call);
  const shown = `.${method}(${method === 'then' ? '…, ' : ''}${shortText(ctx, handler) ?? '…'})`;
  const subject = origin ? `The rejection of \`${origin}\` is discarded by \`${shown}\`` : `\`${shown}\` discards the rejection`;
  ctx.report({
    node: call,
    message: `${subject}: log it with \`${logger.expression}.error\` or let it propagate.`,
    fixes: () => [promiseCatchFix(ctx, handler, kind, logger, `${origin?.replace(/^this\./, '') ?? enclosingFunctionName(ctx, call) ?? 'promise'} failed`)],
  });
}
