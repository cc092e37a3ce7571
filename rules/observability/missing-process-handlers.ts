// missing-process-handlers: a server entry point (the file that calls `listen` on an
// Express/Koa/Fastify/Nest app or a node http server) in a package where nothing handles
// `unhandledRejection` and `uncaughtException` and no error tracker (Sentry) is set up
// to catch them: the process dies with a stack on stderr that no logger or alert sees.
// One finding per entry file; the fix logs both through the project's logger and exits.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { resolveCall, skipOuter } from '../shared/callee';
import { fileStyle, projectLogger } from '../shared/logger';
import { isTestModule } from '../shared/module-imports';
import { forEachCall } from '../shared/walk';
import { contextFor } from '../inventory/location';

const SERVER_MODULES = new Set(['express', 'express-serve-static-core', 'http', 'https', 'http2', 'net', 'node', 'koa', 'fastify', '@nestjs/common', '@nestjs/core']);
const PROCESS_EVENTS = new Set(['unhandledRejection', 'uncaughtException', 'uncaughtExceptionMonitor']);
/** Trackers that install both process handlers when initialised. */
const TRACKERS: Readonly<Record<string, readonly string[]>> = {
  '@sentry/node': ['init'],
  '@sentry/nestjs': ['init'],
  '@sentry/nextjs': ['init'],
  '@bugsnag/js': ['start'],
  '@bugsnag/node': ['start'],
  rollbar: ['Rollbar', 'init'],
  'dd-trace': ['init'],
  'make-promises-safe': ['*'],
};

export const rule: Rule = {
  id: 'missing-process-handlers',
  category: 'observability',
  cwe: [755],
  defaultSeverity: 'warning',
  description: 'A server entry point where nothing logs `unhandledRejection`/`uncaughtException` before the process dies.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx) || !ctx.sourceFile.text.includes('listen')) return;
    let listen: ts.CallExpression | undefined;
    forEachCall(ctx, (call) => {
      if (!listen && isServerListen(ctx, call)) listen = call;
    });
    if (!listen || handledInPackage(ctx)) return;
    ctx.report({
      node: listen.expression,
      message: `This entry point starts a server but nothing handles \`unhandledRejection\` or \`uncaughtException\`: add \`process.on\` handlers that log the error (or initialise your error tracker) so a crash is seen, not just restarted.`,
      fixes: () => handlersFix(ctx),
    });
  },
};

function isServerListen(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'listen') return false;
  const module = resolveCall(ctx, call)?.module;
  return !!module && SERVER_MODULES.has(module);
}

/** `process.on('unhandledRejection', …)` or a tracker's init anywhere in the same package. */
function handledInPackage(ctx: RuleContext): boolean {
  const { ts } = ctx;
  const pkg = ctx.project.packageJson(ctx.fileName)?.path;
  for (const sf of ctx.program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/') || ctx.project.packageJson(sf.fileName)?.path !== pkg) continue;
    if (!sf.text.includes('process') && !Object.keys(TRACKERS).some((m) => sf.text.includes(m))) continue;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && (isProcessHandler(ts, n) || isTrackerInit(ctx, sf, n))) found = true;
      else if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && n.moduleSpecifier.text === 'make-promises-safe') found = true;
      else ts.forEachChild(n, visit);
    };
    visit(sf);
    if (found) return true;
  }
  return false;
}

function isProcessHandler(ts: RuleContext['ts'], call: ts.CallExpression): boolean {
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !['on', 'once', 'addListener', 'prependListener'].includes(callee.name.text)) return false;
  const receiver = skipOuter(ts, callee.expression);
  const event = call.arguments[0];
  return ts.isIdentifier(receiver) && receiver.text === 'process' && !!event && ts.isStringLiteralLike(event) && PROCESS_EVENTS.has(event.text);
}

function isTrackerInit(ctx: RuleContext, sf: ts.SourceFile, call: ts.CallExpression): boolean {
  const target = resolveCall(contextFor(ctx, sf), call);
  const names = target?.module ? TRACKERS[target.module] : undefined;
  return !!names && (names.includes('*') || names.includes(target!.name));
}

/** Both handlers after the imports: log through the project's logger, then exit as Node would. */
function handlersFix(ctx: RuleContext): Fix[] {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const imports = sf.statements.filter((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s) || isRequireStatement(ts, s));
  const after = imports[imports.length - 1];
  const at = after ? after.getEnd() : 0;
  const anchor = after ?? sf.statements[0] ?? sf;
  const logger = projectLogger(ctx, anchor);
  const semi = fileStyle(ctx).semicolons ? ';' : '';
  const typed = !/\.[cm]?js$/.test(ctx.fileName);
  const text =
    `\n\n// Log what kills the process, then exit as Node would: the process manager restarts it.\n` +
    `process.on('unhandledRejection', (reason${typed ? ': unknown' : ''}) => {\n  ${logger.statementFor('fatal', 'reason', 'Unhandled promise rejection')}\n  process.exit(1)${semi}\n})${semi}\n` +
    `process.on('uncaughtException', (err${typed ? ': Error' : ''}) => {\n  ${logger.statementFor('fatal', 'err', 'Uncaught exception')}\n  process.exit(1)${semi}\n})${semi}` +
    (after ? '' : '\n\n');
  return [{ title: 'Log unhandled rejections and uncaught exceptions', isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start: at, end: at, newText: after ? text : text.trimStart() }] }];
}

function isRequireStatement(ts: RuleContext['ts'], s: ts.Statement): boolean {
  if (!ts.isVariableStatement(s)) return false;
  return s.declarationList.declarations.every((d) => {
    const init = d.initializer && skipOuter(ts, d.initializer);
    return !!init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require';
  });
}
