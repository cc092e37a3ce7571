// The fix for an unguarded `const x = JSON.parse(…)` at the top of a route handler's body:
// parse inside its own try/catch and answer 400 on malformed JSON, leaving the rest of the
// handler (and how its own errors are handled) as it was.
import type { ts } from 'ts-morph';
import type { Fix, RuleContext } from '../api';
import type { RouteHandler } from './http';

const MESSAGE = "{ error: 'Invalid JSON' }";

export function jsonParseFix(ctx: RuleContext, call: ts.CallExpression, handler: RouteHandler): Fix | undefined {
  const { ts } = ctx;
  const decl = declarationOf(ctx, call);
  if (!decl || !ts.isIdentifier(decl.name) || !decl.initializer) return undefined;
  const statement = decl.parent.parent;
  if (!ts.isVariableStatement(statement) || !handler.fn.body || statement.parent !== handler.fn.body) return undefined;
  const answer = badRequest(ctx, handler);
  if (!answer) return undefined;
  const text = ctx.sourceFile.text;
  const lineStart = text.lastIndexOf('\n', statement.getStart()) + 1;
  const indent = text.slice(lineStart, statement.getStart());
  if (indent.trim() !== '') return undefined;
  const unit = indentUnit(indent);
  const init = decl.initializer;
  const type = decl.type?.getText() ?? (ts.isAsExpression(init) ? init.type.getText() : 'any');
  const name = decl.name.text;
  // A comment after the statement stays with the parse, not after the closing brace.
  const trailing = ts.getTrailingCommentRanges(text, statement.getEnd())?.find((c) => !text.slice(statement.getEnd(), c.pos).includes('\n'));
  const comment = trailing ? ` ${text.slice(trailing.pos, trailing.end)}` : '';
  const lines = [
    `let ${name}: ${type};`,
    `${indent}try {`,
    `${indent}${unit}${name} = ${init.getText()};${comment}`,
    `${indent}} catch {`,
    ...answer.map((l) => `${indent}${unit}${l}`),
    `${indent}}`,
  ];
  return {
    title: 'Answer 400 when the JSON is malformed',
    isPreferred: true,
    safe: true,
    edits: [{ fileName: ctx.fileName, start: statement.getStart(), end: trailing?.end ?? statement.getEnd(), newText: lines.join('\n') }],
  };
}

/** The single declaration `const x = JSON.parse(…)` (optionally `as T`) the call initialises. */
function declarationOf(ctx: RuleContext, call: ts.CallExpression): ts.VariableDeclaration | undefined {
  const { ts } = ctx;
  let e: ts.Node = call;
  while (ts.isAsExpression(e.parent) || ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const decl = e.parent;
  if (!ts.isVariableDeclaration(decl) || decl.initializer !== e) return undefined;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1) return undefined;
  return decl;
}

/** The statements that answer 400 in the handler's framework, or undefined when unknown. */
function badRequest(ctx: RuleContext, handler: RouteHandler): string[] | undefined {
  const { ts } = ctx;
  const res = handler.response?.name;
  // Express, and Next's pages/api handlers, which get an Express-like `res`.
  if ((handler.framework === 'express' || handler.framework === 'next') && res && ts.isIdentifier(res)) return [`${res.text}.status(400).json(${MESSAGE});`, 'return;'];
  if (handler.framework === 'fastify' && res && ts.isIdentifier(res)) return [`return ${res.text}.code(400).send(${MESSAGE});`];
  if (handler.framework === 'next' && !handler.response) return [`return new Response(JSON.stringify(${MESSAGE}), { status: 400, headers: { 'content-type': 'application/json' } });`];
  return undefined;
}

function indentUnit(indent: string): string {
  return indent.startsWith('\t') ? '\t' : '  ';
}
