// The "Log the error" fixes: a log call put first in the catch block, or an empty
// rejection handler replaced by one that logs, in the file's own layout.
import type { ts } from 'ts-morph';
import type { Fix, RuleContext } from '../../api';
import { fileStyle, type ProjectLogger } from '../../shared/logger';
import type { EmptyHandler } from './discarded';

export function catchClauseFix(ctx: RuleContext, clause: ts.CatchClause, logger: ProjectLogger, message: string): Fix | undefined {
  const { ts } = ctx;
  const edits: { start: number; end: number; newText: string }[] = [];
  let errorName: string;
  if (clause.variableDeclaration) {
    // A destructured binding has no whole error to log.
    if (!ts.isIdentifier(clause.variableDeclaration.name)) return undefined;
    errorName = clause.variableDeclaration.name.text;
  } else {
    errorName = freshName(ctx, clause.block, logger);
    const keywordEnd = clause.getStart(ctx.sourceFile) + 'catch'.length;
    edits.push({ start: keywordEnd, end: keywordEnd, newText: ` (${errorName})` });
  }
  edits.push(insertFirstStatement(ctx, clause.block, clause.parent, logger.callFor('error', errorName, message), logger.statementFor('error', errorName, message)));
  return {
    title: `Log the error with \`${logger.expression}.error\``,
    isPreferred: true,
    safe: true,
    edits: edits.map((e) => ({ fileName: ctx.fileName, ...e })),
  };
}

/** An edit putting the call first in `block`, in the block's own layout, indentation and semicolon style. */
function insertFirstStatement(ctx: RuleContext, block: ts.Block, owner: ts.Node, call: string, statement: string): { start: number; end: number; newText: string } {
  const { semicolons } = fileStyle(ctx);
  const text = ctx.sourceFile.text;
  const open = block.getStart(ctx.sourceFile);
  const close = block.getEnd() - 1;
  let first = open + 1;
  while (first < close && /\s/.test(text[first])) first++;
  if (first === close) {
    // Empty block: open it onto lines of its own.
    const outer = lineIndent(text, owner.getStart(ctx.sourceFile));
    const inner = outer + indentUnit(ctx, owner);
    return { start: open + 1, end: close, newText: `\n${inner}${statement}\n${outer}` };
  }
  if (!text.slice(open, first).includes('\n')) return { start: first, end: first, newText: `${call}; ` };
  // Without semicolons, a next line starting with ( [ ` + - / would continue the call.
  const terminator = semicolons || /[([`+\-/]/.test(text[first]) ? ';' : '';
  return { start: open + 1, end: open + 1, newText: `\n${lineIndent(text, first)}${call}${terminator}` };
}

function lineIndent(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, pos))![0];
}

/** The file's indentation step: from the statement's own block when it spans lines, else the first indented line. */
function indentUnit(ctx: RuleContext, owner: ts.Node): string {
  const { ts } = ctx;
  const text = ctx.sourceFile.text;
  if (ts.isTryStatement(owner) && owner.tryBlock.statements.length > 0) {
    const outer = lineIndent(text, owner.getStart(ctx.sourceFile));
    const inner = lineIndent(text, owner.tryBlock.statements[0].getStart(ctx.sourceFile));
    if (inner.length > outer.length && inner.startsWith(outer) && text.slice(owner.tryBlock.getStart(ctx.sourceFile), owner.tryBlock.statements[0].getStart(ctx.sourceFile)).includes('\n')) {
      return inner.slice(outer.length);
    }
  }
  const m = /\n([ \t]+)[^\s*]/.exec(text);
  return m ? (m[1].startsWith('\t') ? '\t' : m[1]) : '  ';
}

/** A binding name for the error that nothing at `node` already resolves to. */
function freshName(ctx: RuleContext, node: ts.Node, logger: ProjectLogger): string {
  const { ts } = ctx;
  const taken = new Set(ctx.checker.getSymbolsInScope(node, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).map((s) => s.name));
  // Names the code spells without a declaration (implicit globals in sloppy JavaScript) are taken too.
  const collect = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) taken.add(n.text);
    ts.forEachChild(n, collect);
  };
  collect(node);
  const rootOfLogger = /^[\w$]+/.exec(logger.expression)?.[0];
  if (rootOfLogger) taken.add(rootOfLogger);
  for (const candidate of ['error', 'err', 'caughtError']) if (!taken.has(candidate)) return candidate;
  for (let i = 2; ; i++) if (!taken.has(`error${i}`)) return `error${i}`;
}

export function promiseCatchFix(ctx: RuleContext, handler: ts.Expression, kind: EmptyHandler, logger: ProjectLogger, message: string): Fix {
  const name = kind.param ?? freshName(ctx, handler, logger);
  const body = kind.returns ? `${logger.callFor('error', name, message)}; return ${kind.returns}` : logger.callFor('error', name, message);
  const terminator = fileStyle(ctx).semicolons ? ';' : '';
  return {
    title: `Log the rejection with \`${logger.expression}.error\``,
    isPreferred: true,
    safe: true,
    edits: [{ fileName: ctx.fileName, start: handler.getStart(ctx.sourceFile), end: handler.getEnd(), newText: `(${name}) => { ${body}${terminator} }` }],
  };
}
