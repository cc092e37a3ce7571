// The quick fix: the handler's body in `try { … } catch (err) { next(err); }` (or
// `.catch(next)` on a promise a non-async handler returns), with a `next` parameter
// added when the handler has none — typed `NextFunction` when the file types its
// parameters, imported from express once. The body's lines move in by one level;
// lines inside multi-line template literals stay as they are.
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, RuleContext } from '../../api';
import type { RouteHandler } from '../../shared/http';
import { fileStyle } from '../../shared/logger';
import type { Rejection } from './rejections';

interface NextParam {
  readonly name: string;
  readonly edits: FileEdit[];
}

export function buildFix(ctx: RuleContext, handler: RouteHandler, rejections: readonly Rejection[], isAsync: boolean, wrapped: boolean): Fix | undefined {
  const next = nextParam(ctx, handler, wrapped);
  if (!next) return undefined;
  const semi = fileStyle(ctx).semicolons ? ';' : '';
  if (isAsync) {
    const body = handler.fn.body;
    // `return p` is not caught by a try around it.
    if (!body || !ctx.ts.isBlock(body) || rejections.some((r) => r.kind === 'return')) return undefined;
    const wrappedBody = wrapBody(ctx, body, `${next.name}(err)${semi}`);
    if (wrappedBody === undefined) return undefined;
    return fix('Wrap the body in try/catch forwarding to `next`', [...next.edits, { fileName: ctx.fileName, start: body.getStart(ctx.sourceFile), end: body.getEnd(), newText: wrappedBody }]);
  }
  const returns = rejections.filter((r) => r.kind === 'return');
  if (returns.length !== rejections.length) return undefined;
  const edits = returns.map((r) => {
    const expr = ctx.ts.isReturnStatement(r.node) ? r.node.expression! : (r.node as ts.Expression);
    return { fileName: ctx.fileName, start: expr.getEnd(), end: expr.getEnd(), newText: `.catch(${next.name})` };
  });
  return fix('Forward the rejection with `.catch(next)`', [...next.edits, ...edits]);
}

function fix(title: string, edits: FileEdit[]): Fix {
  return { title, isPreferred: true, safe: false, edits: edits.sort((a, b) => a.start - b.start) };
}

/** The handler's `next`, or one added after `(req, res)`; undefined when that cannot be done cleanly. */
function nextParam(ctx: RuleContext, handler: RouteHandler, wrapped: boolean): NextParam | undefined {
  const { ts } = ctx;
  const fn = handler.fn;
  if (handler.next) return ts.isIdentifier(handler.next.name) ? { name: handler.next.name.text, edits: [] } : undefined;
  // A wrapper decides what it passes: a `next` we add might never be given.
  if (wrapped || fn.parameters.length !== 2 || fn.parameters.some((p) => p.dotDotDotToken) || mentions(ctx, fn.body!, 'next')) return undefined;
  const last = fn.parameters[1];
  // `async req => …` has no parentheses to add to.
  if (fn.parameters.hasTrailingComma) return undefined;
  const typed = !!fn.parameters[0].type;
  const type = typed ? nextFunctionType(ctx) : undefined;
  if (typed && !type) return undefined;
  const edits: FileEdit[] = [{ fileName: ctx.fileName, start: last.getEnd(), end: last.getEnd(), newText: `, next${type ? `: ${type.name}` : ''}` }];
  if (type?.edit) edits.push(type.edit);
  return { name: 'next', edits };
}

function mentions(ctx: RuleContext, node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ctx.ts.isIdentifier(n) && n.text === name) found = true;
    else if (!found) ctx.ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** How the file can name express's `NextFunction`, with the import edit that makes it so. */
function nextFunctionType(ctx: RuleContext): { name: string; edit?: FileEdit } | undefined {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const imports = sf.statements.filter(ts.isImportDeclaration);
  const fromExpress = imports.filter((d) => ts.isStringLiteral(d.moduleSpecifier) && d.moduleSpecifier.text === 'express' && d.importClause);
  for (const d of fromExpress) {
    const bindings = d.importClause!.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) return { name: `${bindings.name.text}.NextFunction` };
    if (bindings && ts.isNamedImports(bindings)) {
      const existing = bindings.elements.find((e) => (e.propertyName ?? e.name).text === 'NextFunction');
      if (existing) return { name: existing.name.text };
    }
  }
  const named = fromExpress.find((d) => d.importClause!.namedBindings && ts.isNamedImports(d.importClause!.namedBindings));
  if (named) {
    const bindings = named.importClause!.namedBindings as ts.NamedImports;
    const inlineType = !named.importClause!.isTypeOnly && bindings.elements.some((e) => e.isTypeOnly);
    const last = bindings.elements[bindings.elements.length - 1];
    const at = last ? last.getEnd() : bindings.getStart(sf) + 1;
    const text = `${last ? ', ' : ' '}${inlineType ? 'type ' : ''}NextFunction`;
    return { name: 'NextFunction', edit: { fileName: ctx.fileName, start: at, end: at, newText: text } };
  }
  const withDefault = fromExpress.find((d) => d.importClause!.name && !d.importClause!.namedBindings && !d.importClause!.isTypeOnly);
  if (withDefault) {
    const at = withDefault.importClause!.name!.getEnd();
    return { name: 'NextFunction', edit: { fileName: ctx.fileName, start: at, end: at, newText: ', { type NextFunction }' } };
  }
  const q = fileStyle(ctx).quote;
  const semi = fileStyle(ctx).semicolons ? ';' : '';
  const lastImport = imports[imports.length - 1];
  const at = lastImport ? lastImport.getEnd() : 0;
  const line = `import type { NextFunction } from ${q}express${q}${semi}`;
  return { name: 'NextFunction', edit: { fileName: ctx.fileName, start: at, end: at, newText: lastImport ? `\n${line}` : `${line}\n` } };
}

/** `{ body }` → `{ try { body } catch (err) { <onError> } }`, the body moved in by one indentation level. */
function wrapBody(ctx: RuleContext, body: ts.Block, onError: string): string | undefined {
  const text = ctx.sourceFile.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const open = body.getStart(ctx.sourceFile);
  const close = body.getEnd() - 1;
  const closeIndent = indentAt(text, close);
  const firstStmt = body.statements[0];
  const inner = text.slice(open + 1, close);
  const multiline = inner.includes('\n');
  const stmtIndent = firstStmt && multiline ? indentAt(text, firstStmt.getStart(ctx.sourceFile)) : `${closeIndent}  `;
  const unit = stmtIndent.length > closeIndent.length && stmtIndent.startsWith(closeIndent) ? stmtIndent.slice(closeIndent.length) : '  ';
  const frozen = templateRanges(ctx, body);
  const lines = inner.split('\n');
  // Code sharing the line of `{` would stay outside the try.
  if (multiline && firstStmt && !text.slice(open + 1, firstStmt.getStart(ctx.sourceFile)).includes('\n')) return undefined;
  let head = '';
  let middle: string[];
  let tail: string;
  if (!multiline) {
    middle = [`${stmtIndent}${unit}${inner.trim()}`];
    tail = closeIndent;
  } else {
    head = lines[0].replace(/\r$/, '');
    tail = lines[lines.length - 1];
    if (tail.trim()) {
      // Code before the closing brace on its line: it becomes a line of its own.
      middle = lines.slice(1, -1);
      middle.push(`${stmtIndent}${tail.trim()}`);
      tail = closeIndent;
    } else middle = lines.slice(1, -1);
    let offset = open + 1 + lines[0].length + 1;
    middle = middle.map((line, i) => {
      const start = offset;
      offset += line.length + 1;
      const isOriginal = i < lines.length - 2;
      const keep = !line.replace(/\r$/, '').trim() || (isOriginal && frozen.some(([s, e]) => start > s && start < e));
      return keep ? line.replace(/\r$/, '') : `${unit}${line.replace(/\r$/, '')}`;
    });
  }
  return ['{' + head, `${stmtIndent}try {`, ...middle, `${stmtIndent}} catch (err) {`, `${stmtIndent}${unit}${onError}`, `${stmtIndent}}`, `${tail}}`].join(eol);
}

function indentAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, pos))![0];
}

/** Offsets of template literal text, where a line's leading spaces belong to the string. */
function templateRanges(ctx: RuleContext, root: ts.Node): [number, number][] {
  const { ts } = ctx;
  const out: [number, number][] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) out.push([n.getStart(ctx.sourceFile), n.getEnd()]);
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}
