// unchecked-numeric-input: `Number(x)`, `parseInt(x)`, `parseFloat(x)` or `+x` of request
// input used where NaN or a huge value silently does harm (arithmetic, allocations, loop
// bounds, timers, a query's skip/offset, a stored value) with no NaN or range check first.
// The fix adds an early `400` after the declaration in an Express handler.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { enclosingHandler } from '../shared/http';
import { isTestModule } from '../shared/module-imports';
import { shortText } from '../shared/source-text';
import { harmfulUseOf } from '../shared/unchecked-numeric-input-uses';
import { NO_FACTS, numericConversionOf, uncheckedRequestInput, type NumericConversion } from '../shared/unchecked-numeric-input-values';

export const rule: Rule = {
  id: 'unchecked-numeric-input',
  category: 'edge-cases',
  cwe: [20, 1284],
  defaultSeverity: 'warning',
  description: 'A number parsed from request input reaches arithmetic, an allocation, a loop bound or a query without a NaN or range check.',
  needsTypes: true,
  fixable: true,
  concerns: ['validation'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      const conversion = numericConversionOf(ctx, node);
      if (conversion) {
        check(ctx, conversion);
        // `+Number(x)` would be the same finding twice.
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function check(ctx: RuleContext, conversion: NumericConversion): void {
  const source = uncheckedRequestInput(ctx, conversion.arg);
  if (!source) return;
  const use = harmfulUseOf(ctx, conversion.node, NO_FACTS);
  if (!use) return;
  const code = shortText(ctx, conversion.node);
  const at = shortText(ctx, use.node);
  const message =
    use.missing === 'upper'
      ? `\`${code}\` lets the client choose any size for ${use.what} \`${at}\`: reject values above a maximum (or cap them with \`Math.min\`) first.`
      : use.missing === 'both'
        ? `\`${code}\` can be NaN or any size and reaches ${use.what} \`${at}\` unchecked: reject values that are not finite or above a maximum first.`
        : `\`${code}\` can be NaN and reaches ${use.what} \`${at}\` unchecked: reject it with \`Number.isFinite\` (answer 400) before using it.`;
  ctx.report({
    node: conversion.node,
    message,
    related: [
      { node: source.node, message: `\`${source.label}\` comes from the request`, step: true },
      { node: use.node, message: `it is used in ${use.what} here`, step: true },
    ],
    fixes: use.missing === 'finite' ? guardFix(ctx, conversion) : undefined,
  });
}

/** `const page = Number(req.query.page);` directly in an Express handler: answer 400 right after it. */
function guardFix(ctx: RuleContext, conversion: NumericConversion): (() => Fix[]) | undefined {
  const { ts } = ctx;
  const decl = conversion.node.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || decl.initializer !== conversion.node) return undefined;
  const list = decl.parent;
  const statement = list.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const) || !ts.isVariableStatement(statement)) return undefined;
  const handler = enclosingHandler(ctx, statement);
  if (!handler || handler.framework !== 'express' || !handler.fn.body || statement.parent !== handler.fn.body) return undefined;
  const res = handler.response?.name;
  if (!res || !ts.isIdentifier(res)) return undefined;
  const name = decl.name.text;
  const sf = ctx.sourceFile;
  const lineStart = sf.getLineStarts()[sf.getLineAndCharacterOfPosition(statement.getStart(sf)).line];
  const indent = sf.text.slice(lineStart, statement.getStart(sf));
  const text = `\n${indent}if (!Number.isFinite(${name})) {\n${indent}  ${res.text}.status(400).json({ error: '${name} must be a number' });\n${indent}  return;\n${indent}}`;
  // After a trailing comment on the same line, not between the statement and its comment.
  const trailing = ts.getTrailingCommentRanges(sf.text, statement.end) ?? [];
  const at = trailing.length > 0 ? trailing[trailing.length - 1].end : statement.end;
  return () => [{ title: `Answer 400 when \`${name}\` is not a number`, isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start: at, end: at, newText: text }] }];
}
