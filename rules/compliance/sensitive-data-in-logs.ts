// sensitive-data-in-logs: a logger call writes a credential, a whole request body or
// headers, or a whole user-like object with credential fields into the logs.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { isLibFile, packageOfFile, skipOuter } from '../shared/callee';
import { loggerLibraryOf } from '../shared/logger';
import { isTestModule } from '../shared/module-imports';
import { isRedacted, pinoRedactPaths } from '../shared/pii-log-redact';
import { sensitiveValuesIn, type SensitiveValue } from '../shared/pii-log-values';
import { forEachCall } from '../shared/walk';

const LOG_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'fatal', 'verbose', 'silly', 'http']);

export const rule: Rule = {
  id: 'sensitive-data-in-logs',
  category: 'compliance',
  cwe: [532],
  defaultSeverity: 'warning',
  description: 'A log call writes a password, token, API key, card number, a whole request body/headers or a whole user object with credentials.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    forEachCall(ctx, (call) => {
      const logger = loggerCall(ctx, call);
      if (!logger) return;
      const redact = logger.library === 'pino' ? pinoRedactPaths(ctx, logger.receiver) : undefined;
      call.arguments.forEach((arg, index) => {
        for (const value of sensitiveValuesIn(ctx, arg)) {
          // pino redacts paths of the merging object (the first argument) only.
          if (redact && index === 0 && isCovered(redact, value)) continue;
          ctx.report({ node: value.node, message: messageFor(value, logger.callee) });
        }
      });
    });
  },
};

interface LoggerCall {
  readonly library: 'pino' | 'winston' | 'bunyan' | 'nest' | 'console';
  readonly receiver: ts.Expression;
  /** `logger.info`, `console.log`, for the message. */
  readonly callee: string;
}

/** A call of a log method on console or on a pino/winston/bunyan/Nest logger (by the declaring package). */
function loggerCall(ctx: RuleContext, call: ts.CallExpression): LoggerCall | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LOG_METHODS.has(callee.name.text)) return undefined;
  const receiver = skipOuter(ts, callee.expression);
  const text = `${receiver.getText(ctx.sourceFile).replace(/\s+/g, '')}.${callee.name.text}`;
  if (isGlobalConsole(ctx, receiver)) return { library: 'console', receiver, callee: text };
  const library = loggerLibraryOf(ctx, receiver);
  return library ? { library, receiver, callee: text } : undefined;
}

function isGlobalConsole(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isIdentifier(expr) || expr.text !== 'console') return false;
  const decls = ctx.checker.getSymbolAtLocation(expr)?.declarations ?? [];
  return decls.some((d) => {
    const file = d.getSourceFile().fileName;
    return isLibFile(file) || packageOfFile(file) === 'node';
  });
}

function isCovered(redact: readonly string[][], value: SensitiveValue): boolean {
  if (value.kind === 'object') return value.fields.every((f) => isRedacted(redact, [...value.path, f]));
  return value.path.length > 0 && isRedacted(redact, value.path);
}

function messageFor(value: SensitiveValue, callee: string): string {
  switch (value.kind) {
    case 'secret':
      return `\`${value.label}\` is written to the logs by \`${callee}\`: leave it out or log a masked form such as '[redacted]'.`;
    case 'request':
      return `\`${value.label}\` is logged whole by \`${callee}\`: log only the fields you need, never credentials or cookies.`;
    case 'object':
      return `\`${value.label}\` is logged whole by \`${callee}\` with its \`${value.fields.join('`, `')}\`: log its id or the fields you need instead.`;
  }
}
