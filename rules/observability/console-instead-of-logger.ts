// console-instead-of-logger: `console.log/info/warn/error/debug` in the server code of a
// package that has a structured logger (pino, winston or bunyan as a dependency, and a
// shared logger instance that other modules import). Those lines skip the logger's level,
// JSON format, redaction and transport, so they are missing exactly where the logs are read.
// The fix calls the shared logger instead, in its argument order, importing it once.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { importedModules, isTestModule } from '../shared/module-imports';
import { forEachCall } from '../shared/walk';
import { consoleFix } from './console-instead-of-logger/fix';
import { sharedLoggerModule } from './console-instead-of-logger/logger-module';

const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug']);
const LOGGER_PACKAGES = ['pino', 'winston', 'bunyan'];
const SERVER_PACKAGES = ['express', 'fastify', 'koa', '@nestjs/core', '@hapi/hapi', 'hono', 'next'];
const BROWSER_MODULES = new Set(['react', 'react-dom', 'react-dom/client', 'vue', 'svelte', 'solid-js']);
/** Folders of code that talks to a terminal, not to the log pipeline. */
const NON_SERVER_FOLDER = /\/(?:scripts?|bin|cli|tools|migrations|seeds?|e2e|__mocks__)\//;

export const rule: Rule = {
  id: 'console-instead-of-logger',
  category: 'observability',
  cwe: [],
  defaultSeverity: 'info',
  description: '`console.*` in server code of a project that has a structured logger: the line bypasses its levels, format, redaction and transport.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (!ctx.sourceFile.text.includes('console') || !isServerModule(ctx)) return;
    const pkg = ctx.project.packageJson(ctx.fileName);
    if (!pkg || !LOGGER_PACKAGES.some((p) => pkg.allDependencies[p]) || !SERVER_PACKAGES.some((p) => pkg.allDependencies[p])) return;
    const shared = sharedLoggerModule(ctx, pkg.path);
    if (!shared || shared.sourceFile.fileName === ctx.fileName) return;
    forEachCall(ctx, (call) => {
      const method = consoleMethod(ctx, call);
      if (!method) return;
      const name = shared.exportName === 'default' ? 'logger' : shared.exportName;
      ctx.report({
        node: call.expression,
        message: `\`console.${method}\` bypasses the project's ${shared.library} logger: log with \`${name}.${method === 'log' ? 'info' : method}\` so the line gets its level, format and redaction.`,
        fixes: () => {
          const fix = consoleFix(ctx, call, method, shared);
          return fix ? [fix] : [];
        },
      });
    });
  },
};

/** `console.error(…)` on the global console (not a local named so). */
function consoleMethod(ctx: RuleContext, call: ts.CallExpression): string | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !CONSOLE_METHODS.has(callee.name.text)) return undefined;
  const receiver = skipOuter(ts, callee.expression);
  if (!ts.isIdentifier(receiver) || receiver.text !== 'console') return undefined;
  const decl = ctx.checker.getSymbolAtLocation(receiver)?.declarations?.[0];
  return !decl || decl.getSourceFile().isDeclarationFile ? callee.name.text : undefined;
}

/** Not a test, script, CLI, build config or browser module. */
function isServerModule(ctx: RuleContext): boolean {
  const { ts } = ctx;
  const file = ctx.fileName;
  if (isTestModule(ctx) || NON_SERVER_FOLDER.test(file) || /\.config\.[cm]?[jt]s$/.test(file) || /\.[jt]sx$/.test(file)) return false;
  if (ctx.sourceFile.text.startsWith('#!')) return false;
  const first = ctx.sourceFile.statements[0];
  if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client') return false;
  return !importedModules(ctx).some((m) => BROWSER_MODULES.has(m));
}
