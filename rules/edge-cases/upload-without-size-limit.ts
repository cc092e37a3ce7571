// upload-without-size-limit: a multipart parser (multer, busboy) with no per-file size
// limit, formidable with its cap removed, or a body parser (express.json, bodyParser.*)
// configured to accept bodies above 10 MB — one request can exhaust memory or disk.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { shortText } from '../shared/source-text';
import { isTestModule } from '../shared/module-imports';
import { addLimitsFix } from './upload-without-size-limit/fix';
import { isUnbounded, objectLiteralOf, propertyOf } from '../shared/option-objects';
import { uploadParserOf, type UploadParser } from './upload-without-size-limit/parsers';
import { byteSizeOf, formatBytes } from './upload-without-size-limit/sizes';

/** Body parsers read the whole body into memory; above this the limit is an upload in disguise. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const rule: Rule = {
  id: 'upload-without-size-limit',
  category: 'edge-cases',
  cwe: [770],
  defaultSeverity: 'warning',
  description: 'An upload or body parser accepts files or bodies of any size (multer/busboy without `limits.fileSize`, a body `limit` above 10 MB).',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const parser = uploadParserOf(ctx, node);
        if (parser) checkParser(ctx, node, parser);
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function checkParser(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, parser: UploadParser): void {
  if (parser.kind === 'multer' || parser.kind === 'busboy') checkMultipartLimits(ctx, call, parser);
  else if (parser.kind === 'formidable') checkFormidable(ctx, call, parser);
  else checkBodyLimit(ctx, call, parser);
}

/** multer and busboy default `limits.fileSize` to Infinity: every file is streamed to the end. */
function checkMultipartLimits(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, parser: UploadParser): void {
  const code = shortText(ctx, call);
  const advice = 'add `limits: { fileSize, files }` (e.g. 10 MB per file, 5 files)';
  const report = (why: string): void =>
    ctx.report({ node: call, message: `\`${code}\` ${why}, so one request can upload files of any size: ${advice}.`, fixes: () => fixesFor(ctx, call) });
  if (!parser.options) {
    if (parser.kind === 'multer') report('sets no `limits.fileSize`');
    return; // busboy without options cannot run (it needs the headers): nothing to judge.
  }
  const options = objectLiteralOf(ctx, parser.options);
  if (!options) return;
  const limits = propertyOf(ctx, options, 'limits');
  if (!limits) return;
  if (!limits.found) return report('sets no `limits.fileSize`');
  const limitsObject = objectLiteralOf(ctx, limits.value);
  if (!limitsObject) return;
  const fileSize = propertyOf(ctx, limitsObject, 'fileSize');
  if (!fileSize) return;
  if (!fileSize.found) return report('sets `limits` without `fileSize`');
  if (isUnbounded(ctx, fileSize.value)) report('sets `limits.fileSize` to no limit');
}

function fixesFor(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression) {
  const fix = addLimitsFix(ctx, call);
  return fix ? [fix] : [];
}

/** formidable caps each file at 200 MB by default; only an explicit "no limit" is reported. */
function checkFormidable(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, parser: UploadParser): void {
  const options = objectLiteralOf(ctx, parser.options);
  if (!options) return;
  for (const key of ['maxFileSize', 'maxTotalFileSize']) {
    const value = propertyOf(ctx, options, key);
    if (value?.found && isUnbounded(ctx, value.value)) {
      ctx.report({
        node: value.property,
        message: `\`${key}\` of \`${parser.label}\` removes formidable's 200 MB cap, so one request can fill the disk: set it to the largest upload you accept.`,
      });
    }
  }
}

/** A missing `limit` is fine (100 kB by default); a huge one lets a client make the server buffer it. */
function checkBodyLimit(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, parser: UploadParser): void {
  const options = objectLiteralOf(ctx, parser.options);
  if (!options) return;
  const limit = propertyOf(ctx, options, 'limit');
  if (!limit?.found) return;
  const bytes = byteSizeOf(ctx, limit.value);
  if (bytes === undefined || bytes <= MAX_BODY_BYTES) return;
  ctx.report({
    node: limit.property,
    message: `\`${parser.label}\` accepts bodies up to ${formatBytes(bytes)}, buffered in memory on every request: lower \`limit\` to what the endpoint needs (the default is 100 kB) and stream large uploads with multer or busboy.`,
  });
}
