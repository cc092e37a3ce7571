// unlogged-error-response: a catch block or promise `.catch` handler on the request path
// that answers the client with a failure (`res.status(500).json(…)`, `reply.code(500)`,
// `Response.json(…, { status: 500 })`, `ctx.status = 500`) while nothing logs, reports,
// rethrows or hands on the error: the user sees "Internal error", the logs see nothing.
// The fix logs the error with the project's logger first thing in the handler.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { fileStyle, projectLogger } from '../shared/logger';
import { catchClauseFix } from './swallowed-error/fix';
import { enclosingFunctionName } from './swallowed-error/naming';
import { errorAnswersIn, type ErrorAnswer } from './unlogged-error-response/answers';
import { boundSymbols, errorIsSeen } from './unlogged-error-response/handled';

export const rule: Rule = {
  id: 'unlogged-error-response',
  category: 'observability',
  cwe: [778, 223],
  defaultSeverity: 'warning',
  description: 'A catch on the request path answers the client with a 5xx (or an error body) but logs nothing: the failure leaves no trace.',
  needsTypes: true,
  fixable: true,
  concerns: ['errorHandling'],
  check(ctx) {
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ts.isCatchClause(node)) checkCatchClause(ctx, node);
      else if (ts.isCallExpression(node)) checkRejectionHandler(ctx, node);
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function checkCatchClause(ctx: RuleContext, clause: ts.CatchClause): void {
  const answer = errorAnswersIn(ctx, clause.block)[0];
  if (!answer) return;
  if (errorIsSeen(ctx, clause.block, boundSymbols(ctx, clause.variableDeclaration?.name))) return;
  const name = enclosingFunctionName(ctx, clause);
  const logMessage = `${name ?? 'request'} failed`;
  const logger = projectLogger(ctx, clause.block);
  ctx.report({
    node: answer.node,
    message: message(answer, name, logger.expression),
    fixes: () => {
      const fix = catchClauseFix(ctx, clause, logger, logMessage);
      return fix ? [{ ...fix, title: `Log the error with \`${logger.expression}.error\` before answering` }] : [];
    },
  });
}

/** `p.catch((err) => res.status(500)…)` and `p.then(ok, (err) => …)`. */
function checkRejectionHandler(ctx: RuleContext, call: ts.CallExpression): void {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return;
  const method = callee.name.text;
  const arg = method === 'catch' && call.arguments.length === 1 ? call.arguments[0] : method === 'then' && call.arguments.length === 2 ? call.arguments[1] : undefined;
  const handler = arg && skipOuter(ts, arg);
  if (!handler || !(ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) return;
  const answer = errorAnswersIn(ctx, handler.body)[0];
  if (!answer) return;
  const param = handler.parameters[0];
  if (errorIsSeen(ctx, handler.body, boundSymbols(ctx, param?.name))) return;
  const name = enclosingFunctionName(ctx, call);
  const logger = projectLogger(ctx, handler.body);
  ctx.report({
    node: answer.node,
    message: message(answer, name, logger.expression),
    fixes: () => handlerFix(ctx, handler, logger, `${name ?? 'request'} failed`),
  });
}

function message(answer: ErrorAnswer, where: string | undefined, logger: string): string {
  const place = where ? ` in \`${where}\`` : '';
  return `\`${answer.shown}\`${place} answers a failure but nothing logs the error: log it with \`${logger}.error\` (or pass it to \`next\`) before answering.`;
}

/** Puts the log call first in the handler, giving it a parameter and a block body where it has none. */
function handlerFix(ctx: RuleContext, handler: ts.ArrowFunction | ts.FunctionExpression, logger: ReturnType<typeof projectLogger>, logMessage: string): Fix[] {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const param = handler.parameters[0];
  if (param && !ts.isIdentifier(param.name)) return [];
  const errorName = param && ts.isIdentifier(param.name) ? param.name.text : 'err';
  if (!param && ctx.checker.getSymbolsInScope(handler.body, ts.SymbolFlags.Value).some((s) => s.name === errorName)) return [];
  const semi = fileStyle(ctx).semicolons ? ';' : '';
  const statement = logger.statementFor('error', errorName, logMessage);
  const edits: { start: number; end: number; newText: string }[] = [];
  if (!param) {
    const open = handler.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.OpenParenToken);
    if (!open) return [];
    edits.push({ start: open.getEnd(), end: open.getEnd(), newText: errorName });
  }
  const body = handler.body;
  if (ts.isBlock(body)) {
    const first = body.statements[0];
    const text = sf.text;
    const lineStart = first ? text.lastIndexOf('\n', first.getStart(sf) - 1) + 1 : -1;
    const indent = first ? /^[ \t]*/.exec(text.slice(lineStart))![0] : '';
    if (first && text.slice(body.getStart(sf), first.getStart(sf)).includes('\n')) edits.push({ start: lineStart, end: lineStart, newText: `${indent}${statement}\n` });
    else edits.push({ start: body.getStart(sf) + 1, end: body.getStart(sf) + 1, newText: ` ${statement}` });
  } else {
    edits.push({ start: body.getStart(sf), end: body.getEnd(), newText: `{ ${statement} return ${body.getText(sf)}${semi} }` });
  }
  return [{ title: `Log the error with \`${logger.expression}.error\` before answering`, isPreferred: true, safe: true, edits: edits.map((e) => ({ fileName: ctx.fileName, ...e })) }];
}
