// The pending-guard fix: a `submitting` state in the component, an early return and a
// try/finally around the handler's body, and `disabled={submitting}` on the submit button
// when the same component renders it. Not safe: a second click is now ignored.
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import type { SubmitHandler } from './handlers';
import { intrinsicTag, literalAttribute } from './handlers';

export function pendingGuardFix(ctx: RuleContext, h: SubmitHandler): Fix | undefined {
  const { ts } = ctx;
  const component = h.component;
  if (!component?.body || !ts.isBlock(component.body) || component.body.statements.length === 0) return undefined;
  if (h.handler === component || h.handler.pos < component.body.pos || h.handler.end > component.body.end) return undefined;
  const react = reactImport(ctx);
  const flag = freeName(ctx, component, ['submitting', 'isSubmitting', 'submitPending']);
  if (!flag) return undefined;
  const setter = `set${flag[0].toUpperCase()}${flag.slice(1)}`;
  const useState = react.namespace ? `${react.namespace}.useState` : 'useState';
  const edits: FileEdit[] = [];
  const first = component.body.statements[0];
  edits.push(insert(ctx, first.getStart(ctx.sourceFile), `const [${flag}, ${setter}] = ${useState}(false);\n${indentOf(ctx, first.getStart(ctx.sourceFile))}`));
  if (react.edit) edits.push(react.edit);
  const body = handlerBodyEdit(ctx, h.handler, flag, setter);
  if (!body) return undefined;
  edits.push(body);
  for (const button of submitButtons(ctx, h)) {
    const edit = disableEdit(ctx, button, flag);
    if (edit) edits.push(edit);
  }
  return { title: `Ignore clicks while the request runs and disable the button (\`${flag}\` state)`, isPreferred: true, safe: false, edits };
}

function insert(ctx: RuleContext, at: number, newText: string): FileEdit {
  return { fileName: ctx.fileName, start: at, end: at, newText };
}

function indentOf(ctx: RuleContext, pos: number): string {
  const text = ctx.sourceFile.text;
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

function freeName(ctx: RuleContext, scope: ts.Node, candidates: readonly string[]): string | undefined {
  const { ts } = ctx;
  const used = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) used.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  void scope;
  return candidates.find((c) => !used.has(c) && !used.has(`set${c[0].toUpperCase()}${c.slice(1)}`));
}

/** How the file reaches `useState`: an existing named import, a namespace, or a new import. */
function reactImport(ctx: RuleContext): { namespace?: string; edit?: FileEdit } {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || s.moduleSpecifier.text !== 'react' || !s.importClause || s.importClause.isTypeOnly) continue;
    const bindings = s.importClause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) return { namespace: bindings.name.text };
    if (bindings && ts.isNamedImports(bindings)) {
      if (bindings.elements.some((e) => !e.isTypeOnly && (e.propertyName ?? e.name).text === 'useState' && e.name.text === 'useState')) return {};
      const last = bindings.elements[bindings.elements.length - 1];
      return { edit: last ? insert(ctx, last.getEnd(), ', useState') : { fileName: ctx.fileName, start: bindings.getStart(sf), end: bindings.getEnd(), newText: '{ useState }' } };
    }
    if (s.importClause.name) return { edit: insert(ctx, s.importClause.name.getEnd(), ', { useState }') };
  }
  // After a 'use client' prologue, before everything else.
  let at = sf.statements[0]?.getStart(sf) ?? 0;
  for (const s of sf.statements) {
    if (ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)) at = -s.getEnd();
    else break;
  }
  return { edit: at < 0 ? insert(ctx, -at, "\nimport { useState } from 'react';") : insert(ctx, at, "import { useState } from 'react';\n") };
}

function handlerBodyEdit(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, flag: string, setter: string): FileEdit | undefined {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const body = fn.body;
  if (!body) return undefined;
  const closing = indentOf(ctx, ts.isBlock(body) ? body.getEnd() - 1 : fn.getStart(sf));
  const statements = ts.isBlock(body) ? [...body.statements] : [];
  const ind = ts.isBlock(body) && statements.length && lineOf(ctx, statements[0].getStart(sf)) !== lineOf(ctx, body.getStart(sf)) ? indentOf(ctx, statements[0].getStart(sf)) : `${closing}  `;
  // preventDefault stays first: an ignored second submit must not fall back to the browser's navigation.
  const leading: string[] = [];
  while (statements.length && isPreventDefault(ctx, statements[0])) leading.push(statements.shift()!.getText(sf));
  // The rest of the body as written, comments included, one level deeper.
  const rest = statements.length ? sf.text.slice(statements[0].getStart(sf), body.getEnd() - 1).trimEnd() : '';
  const inner = ts.isBlock(body) ? reindent(rest, indentOf(ctx, statements[0]?.getStart(sf) ?? 0), `${ind}  `) : `${ind}  ${body.getText(sf)};`;
  const lines = [
    '{',
    ...leading.map((l) => `${ind}${l}`),
    `${ind}if (${flag}) return;`,
    `${ind}${setter}(true);`,
    `${ind}try {`,
    inner,
    `${ind}} finally {`,
    `${ind}  ${setter}(false);`,
    `${ind}}`,
    `${closing}}`,
  ];
  return { fileName: ctx.fileName, start: body.getStart(sf), end: body.getEnd(), newText: lines.join('\n') };
}

function lineOf(ctx: RuleContext, pos: number): number {
  return ctx.sourceFile.getLineAndCharacterOfPosition(pos).line;
}

/** Text whose first line starts at indentation `own`, moved to `indent`, keeping inner relative indentation. */
function reindent(text: string, own: string, indent: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? indent + line : line.startsWith(own) ? indent + line.slice(own.length) : line))
    .join('\n');
}

function isPreventDefault(ctx: RuleContext, s: ts.Statement): boolean {
  const { ts } = ctx;
  if (!ts.isExpressionStatement(s)) return false;
  const e = skipOuter(ts, s.expression);
  return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'preventDefault';
}

/** The button clicked, or the form's submit buttons (a <button> without a type submits). */
function submitButtons(ctx: RuleContext, h: SubmitHandler): ts.JsxOpeningLikeElement[] {
  const { ts } = ctx;
  if (h.kind === 'button') return [h.element];
  const form = h.element.parent;
  if (!ts.isJsxElement(form)) return [];
  const out: ts.JsxOpeningLikeElement[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isJsxOpeningElement(n) || ts.isJsxSelfClosingElement(n)) {
      const tag = intrinsicTag(ctx, n);
      const type = literalAttribute(ctx, n, 'type');
      if ((tag === 'button' && (type === undefined || type === 'submit') && !hasAttribute(ctx, n, 'type', true)) || (tag === 'input' && type === 'submit')) out.push(n);
    }
    ts.forEachChild(n, visit);
  };
  form.children.forEach(visit);
  return out;
}

/** With `dynamicOnly`, true when the attribute is written but its value is not a literal. */
function hasAttribute(ctx: RuleContext, element: ts.JsxOpeningLikeElement, name: string, dynamicOnly = false): boolean {
  const { ts } = ctx;
  return element.attributes.properties.some(
    (p) => ts.isJsxAttribute(p) && ts.isIdentifier(p.name) && p.name.text === name && (!dynamicOnly || (!!p.initializer && ts.isJsxExpression(p.initializer) && !!p.initializer.expression && !ts.isStringLiteralLike(p.initializer.expression))),
  );
}

function disableEdit(ctx: RuleContext, element: ts.JsxOpeningLikeElement, flag: string): FileEdit | undefined {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  if (element.attributes.properties.some((p) => ts.isJsxSpreadAttribute(p))) return undefined;
  const existing = element.attributes.properties.find((p): p is ts.JsxAttribute => ts.isJsxAttribute(p) && ts.isIdentifier(p.name) && p.name.text === 'disabled');
  if (existing) {
    const value = existing.initializer && ts.isJsxExpression(existing.initializer) ? existing.initializer.expression : undefined;
    if (!value) return undefined;
    const v = skipOuter(ts, value);
    const wrapped = ts.isBinaryExpression(v) || ts.isConditionalExpression(v) ? `(${value.getText(sf)})` : value.getText(sf);
    return { fileName: ctx.fileName, start: value.getStart(sf), end: value.getEnd(), newText: `${wrapped} || ${flag}` };
  }
  return insert(ctx, element.tagName.getEnd(), ` disabled={${flag}}`);
}
