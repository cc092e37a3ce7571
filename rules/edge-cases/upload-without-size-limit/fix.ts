// "Add upload limits": writes `limits: { fileSize: 10 * 1024 * 1024, files: 5 }` into the
// multer/busboy options (creating the object for `multer()`), or the missing keys into an
// existing `limits` literal. Not safe: uploads above the new limits are rejected.
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, RuleContext } from '../../api';
import { insertProperty, objectLiteralOf, propertyOf } from '../../shared/option-objects';

export const FILE_SIZE = '10 * 1024 * 1024';
export const FILE_COUNT = '5';

export function addLimitsFix(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): Fix | undefined {
  const edit = limitsEdit(ctx, call);
  return edit && { title: 'Add upload limits (10 MB per file, 5 files)', isPreferred: true, safe: false, edits: [edit] };
}

function limitsEdit(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): FileEdit | undefined {
  const { ts } = ctx;
  const limits = `limits: { fileSize: ${FILE_SIZE}, files: ${FILE_COUNT} }`;
  if (!call.arguments) return undefined; // `new Busboy` without parentheses
  if (call.arguments.length === 0) {
    return { fileName: ctx.fileName, start: call.arguments.pos, end: call.arguments.end, newText: `{ ${limits} }` };
  }
  const options = objectLiteralOf(ctx, call.arguments[0]);
  if (!options) return undefined;
  const existing = propertyOf(ctx, options, 'limits');
  if (!existing) return undefined;
  if (!existing.found) return insertProperty(ctx, options, limits);
  const inner = objectLiteralOf(ctx, existing.value);
  if (!inner || !ts.isObjectLiteralExpression(existing.value)) return undefined;
  const fileSize = propertyOf(ctx, inner, 'fileSize');
  const files = propertyOf(ctx, inner, 'files');
  if (!fileSize || fileSize.found || !files) return undefined;
  const added = [`fileSize: ${FILE_SIZE}`, ...(files.found ? [] : [`files: ${FILE_COUNT}`])].join(', ');
  return insertProperty(ctx, inner, added);
}
