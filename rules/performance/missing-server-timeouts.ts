// missing-server-timeouts: an HTTP server the project creates itself
// (`http.createServer`, `https.createServer`, the server `app.listen` returns for
// Express and Koa) whose request or header timeouts are switched off
// (`requestTimeout = 0`, `headersTimeout = 0`, in its options too), whose
// keep-alive outlives its header timeout, or that may run on Node < 18 (per
// `engines.node`), where `requestTimeout` defaulted to 0, without setting one.
// A client that trickles its request a byte at a time then holds a socket forever.
import type { ts } from 'ts-morph';
import type { FileEdit, Rule, RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { optionValue } from '../shared/outbound-http';
import { enginesAdmitOldNode } from './missing-server-timeouts/node-engines';

const REQUEST_TIMEOUT = '30_000';
const HEADERS_TIMEOUT = '10_000';
/** Node's headersTimeout default (since 18; 60 s earlier too). */
const DEFAULT_HEADERS_TIMEOUT = 60_000;
const LISTEN_MODULES = ['express', 'express-serve-static-core', 'koa'];
const TIMEOUT_KEYS = ['requestTimeout', 'headersTimeout'] as const;

interface Setting {
  readonly value: ts.Expression;
  /** What the code wrote: `server.requestTimeout = 0`, `requestTimeout: 0`. */
  readonly node: ts.Node;
}

interface CreatedServer {
  readonly creation: ts.CallExpression;
  readonly label: string;
  /** The `const` holding the server, when there is one. */
  readonly holder?: ts.VariableDeclaration;
  readonly settings: Map<string, Setting>;
}

export const rule: Rule = {
  id: 'missing-server-timeouts',
  category: 'performance',
  cwe: [400],
  defaultSeverity: 'warning',
  description: 'An HTTP server the app creates has its request or header timeouts switched off, so slow clients can hold its sockets forever.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const servers: CreatedServer[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const label = serverCreation(ctx, node);
        if (label) servers.push(readServer(ctx, node, label));
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
    if (servers.length === 0) return;
    const engines = enginesAdmitOldNode(ctx);
    for (const server of servers) checkServer(ctx, server, engines);
  },
};

/** `http.createServer(…)`, `https.createServer(…)`, or `app.listen(…)` of Express/Koa: how to name it. */
function serverCreation(ctx: RuleContext, call: ts.CallExpression): string | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (name !== 'createServer' && name !== 'listen') return undefined;
  const target = resolveCall(ctx, call);
  if (name === 'createServer') return (target?.module === 'http' || target?.module === 'https') && !target.owner ? `${target.module}.createServer` : undefined;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  if (target?.module && LISTEN_MODULES.includes(target.module)) return `${callee.expression.getText(ctx.sourceFile)}.listen`;
  const origin = originOf(ctx, callee.expression);
  return origin?.instance && (origin.module === 'express' || origin.module === 'koa') && origin.members.length === 0 ? `${callee.expression.getText(ctx.sourceFile)}.listen` : undefined;
}

function readServer(ctx: RuleContext, creation: ts.CallExpression, label: string): CreatedServer {
  const { ts } = ctx;
  const settings = new Map<string, Setting>();
  // http.createServer({ requestTimeout, headersTimeout, keepAliveTimeout }, handler)
  const options = label.endsWith('createServer') ? creation.arguments[0] : undefined;
  if (options && ts.isObjectLiteralExpression(skipOuter(ts, options))) {
    for (const key of [...TIMEOUT_KEYS, 'keepAliveTimeout']) {
      const value = optionValue(ctx, options, key);
      if (value) settings.set(key, { value, node: value.parent });
    }
  }
  let n: ts.Node = creation;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const holder = ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name) && ts.getCombinedNodeFlags(n.parent) & ts.NodeFlags.Const ? n.parent : undefined;
  if (holder) collectAssignments(ctx, holder, settings);
  return { creation, label, holder, settings };
}

/** `server.requestTimeout = …`, `server.headersTimeout = …`, `server.keepAliveTimeout = …` in the file. */
function collectAssignments(ctx: RuleContext, holder: ts.VariableDeclaration, settings: Map<string, Setting>): void {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(holder.name);
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && ts.isIdentifier(n.left.expression)) {
      const key = n.left.name.text;
      if ((key === 'requestTimeout' || key === 'headersTimeout' || key === 'keepAliveTimeout') && ctx.checker.getSymbolAtLocation(n.left.expression) === symbol) {
        settings.set(key, { value: n.right, node: n });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
}

function numberOf(ctx: RuleContext, e: ts.Expression): number | undefined {
  const v = skipOuter(ctx.ts, e);
  return ctx.ts.isNumericLiteral(v) ? Number(v.text) : undefined;
}

function checkServer(ctx: RuleContext, server: CreatedServer, engines: ReturnType<typeof enginesAdmitOldNode>): void {
  let disabled = false;
  for (const key of TIMEOUT_KEYS) {
    const setting = server.settings.get(key);
    if (!setting || numberOf(ctx, setting.value) !== 0) continue;
    disabled = true;
    const replacement = key === 'requestTimeout' ? REQUEST_TIMEOUT : HEADERS_TIMEOUT;
    ctx.report({
      node: setting.node,
      message: `\`${setting.node.getText(ctx.sourceFile)}\` switches off the ${key === 'requestTimeout' ? 'time limit on receiving a whole request' : 'time limit on receiving request headers'} of the server made by \`${server.label}\`: set \`${key}\` to ${replacement} ms or so, so a slow client cannot hold a socket forever.`,
      fixes: () => [{ title: `Set ${key} to ${replacement} ms`, isPreferred: true, safe: false, edits: [replace(ctx, setting.value, replacement)] }],
    });
  }
  const keepAlive = server.settings.get('keepAliveTimeout');
  const keepAliveMs = keepAlive && numberOf(ctx, keepAlive.value);
  const headers = server.settings.get('headersTimeout');
  const headersMs = headers ? numberOf(ctx, headers.value) : DEFAULT_HEADERS_TIMEOUT;
  if (keepAlive && keepAliveMs !== undefined && headersMs !== undefined && headersMs !== 0 && keepAliveMs >= headersMs) {
    const wanted = formatMs(keepAliveMs + 1_000);
    ctx.report({
      node: keepAlive.node,
      message: `\`${keepAlive.node.getText(ctx.sourceFile)}\` keeps idle connections of the server made by \`${server.label}\` open at least as long as its \`headersTimeout\` (${formatMs(headersMs)} ms): set \`headersTimeout\` above it (${wanted}), or a request arriving on a reused connection can be cut off.`,
      fixes: () => {
        const edit = headers ? replace(ctx, headers.value, wanted) : server.holder && insertAfter(ctx, keepAlive.node, `${holderName(server)}.headersTimeout = ${wanted};`);
        return edit ? [{ title: `Set headersTimeout to ${wanted} ms`, isPreferred: true, safe: false, edits: [edit] }] : [];
      },
    });
  }
  if (disabled || !engines?.admitsOld || server.settings.has('requestTimeout')) return;
  ctx.report({
    node: server.creation,
    message: `The server made by \`${server.label}\` sets no \`requestTimeout\`, and \`engines.node\` (\`${engines.range}\`) admits Node < 18, where it defaults to 0 (no limit): set \`server.requestTimeout = ${REQUEST_TIMEOUT}\` and \`server.headersTimeout = ${HEADERS_TIMEOUT}\`.`,
    fixes: () => {
      const edits = addTimeouts(ctx, server);
      return edits ? [{ title: 'Set requestTimeout and headersTimeout', isPreferred: true, safe: false, edits }] : [];
    },
  });
}

function holderName(server: CreatedServer): string {
  return (server.holder!.name as ts.Identifier).text;
}

function replace(ctx: RuleContext, e: ts.Expression, text: string): FileEdit {
  return { fileName: ctx.fileName, start: e.getStart(ctx.sourceFile), end: e.getEnd(), newText: text };
}

function formatMs(ms: number): string {
  return String(ms).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}

/** Lines after the statement holding `node`, indented like it. */
function insertAfter(ctx: RuleContext, node: ts.Node, lines: string | readonly string[]): FileEdit | undefined {
  const { ts } = ctx;
  let statement: ts.Node | undefined = node;
  while (statement && !(ts.isExpressionStatement(statement) || ts.isVariableStatement(statement))) statement = statement.parent;
  if (!statement) return undefined;
  const text = ctx.sourceFile.text;
  const start = statement.getStart(ctx.sourceFile);
  const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', start - 1) + 1))![0];
  // After a comment that ends the statement's line: the comment stays with its statement.
  const end = statement.getEnd();
  const lineEnd = text.indexOf('\n', end);
  const rest = text.slice(end, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
  const at = /^\s*(\/\/.*)?$/.test(rest) ? end + rest.length : end;
  return { fileName: ctx.fileName, start: at, end: at, newText: [lines].flat().map((l) => `\n${indent}${l}`).join('') };
}

/**
 * After `const server = …`: the two assignments (headersTimeout only when not set). A bare
 * `app.listen(…);` statement is kept as `const server = app.listen(…);` first.
 */
function addTimeouts(ctx: RuleContext, server: CreatedServer): FileEdit[] | undefined {
  const { ts } = ctx;
  const lines = (name: string) => [`${name}.requestTimeout = ${REQUEST_TIMEOUT};`, ...(server.settings.has('headersTimeout') ? [] : [`${name}.headersTimeout = ${HEADERS_TIMEOUT};`])];
  if (server.holder) {
    const edit = insertAfter(ctx, server.holder, lines(holderName(server)));
    return edit && [edit];
  }
  const statement = server.creation.parent;
  if (!ts.isExpressionStatement(statement) || !ts.isSourceFile(statement.parent) || declares(ctx, 'server')) return undefined;
  const edit = insertAfter(ctx, statement, lines('server'));
  const at = statement.getStart(ctx.sourceFile);
  return edit && [{ fileName: ctx.fileName, start: at, end: at, newText: 'const server = ' }, edit];
}

function declares(ctx: RuleContext, name: string): boolean {
  return ctx.checker.getSymbolsInScope(ctx.sourceFile, ctx.ts.SymbolFlags.Value).some((s) => s.name === name);
}
