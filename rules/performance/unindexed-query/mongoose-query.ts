// Mongoose queries: `Model.find(filter)`, `findOne`, `countDocuments`,
// `updateMany`, `deleteMany`… on a model whose schema we can see (`model('User',
// userSchema)` with `new Schema({...})`), in TypeScript or plain JavaScript.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { mongooseModel, schemaOfModel, type MongooseModel } from '../../shared/schema/mongoose';
import { compactCallee, HANDLED, notIndexedByFile, type Detection } from './detected';
import { unindexedFilter } from './evaluate';
import { andParts, inlineObject, readFilter, type Classify } from './filter';

const FILTER_FIRST = ['find', 'findOne', 'countDocuments', 'updateMany', 'updateOne', 'deleteMany', 'deleteOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'replaceOne', 'exists'];
export const MONGOOSE_METHODS: ReadonlySet<string> = new Set([...FILTER_FIRST, 'distinct']);

const EQUALITY_OPS = new Set(['$eq', '$in', '$all', '$elemMatch']);
const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);
const OPAQUE_KEYS = new Set(['$or', '$nor', '$where', '$expr', '$text', '$jsonSchema']);

function isAnchoredRegex(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isRegularExpressionLiteral(e)) return e.text.startsWith('/^') && !/\/[a-z]*i[a-z]*$/.test(e.text);
  return ts.isStringLiteralLike(e) && e.text.startsWith('^');
}

function classifier(ctx: RuleContext): Classify {
  const { ts } = ctx;
  return (key, value) => {
    if (key === '$and') {
      const parts = andParts(ctx, value);
      return parts ? { kind: 'and', parts } : { kind: 'opaque' };
    }
    if (OPAQUE_KEYS.has(key)) return { kind: 'opaque' };
    if (key.startsWith('$')) return { kind: 'ignore' };
    const v = skipOuter(ts, value);
    if (ts.isIdentifier(v) && v.text === 'undefined') return { kind: 'ignore' };
    if (ts.isRegularExpressionLiteral(v)) return isAnchoredRegex(ctx, v) ? { kind: 'field', use: 'range' } : { kind: 'ignore' };
    if (!ts.isObjectLiteralExpression(v)) return { kind: 'field', use: 'equality' };
    if (v.properties.some((p) => ts.isSpreadAssignment(p))) return { kind: 'opaque' };
    const ops = v.properties.map((p) => ({ key: p.name?.getText().replace(/^['"]|['"]$/g, '') ?? '', value: ts.isPropertyAssignment(p) ? skipOuter(ts, p.initializer) : undefined }));
    if (!ops.some((o) => o.key.startsWith('$'))) return { kind: 'field', use: 'equality' }; // an exact sub-document
    if (ops.some((o) => EQUALITY_OPS.has(o.key))) return { kind: 'field', use: 'equality' };
    if (ops.some((o) => RANGE_OPS.has(o.key))) return { kind: 'field', use: 'range' };
    const regex = ops.find((o) => o.key === '$regex');
    if (regex?.value && isAnchoredRegex(ctx, regex.value) && !ops.some((o) => o.key === '$options')) return { kind: 'field', use: 'range' };
    return { kind: 'ignore' };
  };
}

export function detectMongoose(ctx: RuleContext, call: ts.CallExpression): Detection {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !MONGOOSE_METHODS.has(callee.name.text)) return undefined;
  // The receiver made by mongoose's `model(name, schema)` is the proof it is a Model: asking the
  // checker for `User.find` instead would make it infer Mongoose's heavy model types (seconds).
  const source = schemaOfModel(ctx, callee.expression);
  if (!source) return undefined;
  const model = mongooseModel(ctx, source.schema, source.variable, source.modelName);
  if (!model) return HANDLED;
  const arg = call.arguments[callee.name.text === 'distinct' ? 1 : 0];
  const filter = arg && readFilter(ctx, arg, classifier(ctx));
  const unindexed = filter && unindexedFilter(model, filter);
  if (!unindexed) return HANDLED;
  const spec = indexSpec(unindexed.indexFields);
  const schemaVar = model.schemaVariable && ts.isIdentifier(model.schemaVariable.name) ? model.schemaVariable.name.text : undefined;
  return {
    model,
    unindexed,
    anchor: inlineObject(ctx, arg),
    verb: 'filters on',
    callText: compactCallee(callee.getText()),
    notIndexedBy: notIndexedByFile(model.location.fileName),
    advice: schemaVar ? `\`${schemaVar}.index(${spec})\`` : `an index \`${spec}\` to the schema`,
    related: [{ fileName: model.location.fileName, start: model.location.start, end: model.location.end, message: `the schema of \`${model.name}\` is declared here` }],
    fixEdits: () => {
      const edit = schemaVar ? mongooseIndexEdit(model, schemaVar, spec) : undefined;
      return edit && [edit];
    },
  };
}

/** `{ email: 1 }`, `{ status: 1, 'address.city': 1 }`. */
function indexSpec(fields: readonly string[]): string {
  return `{ ${fields.map((f) => `${/^[A-Za-z_$][\w$]*$/.test(f) ? f : `'${f}'`}: 1`).join(', ')} }`;
}

/** `<schema>.index({ … });` on its own line after the schema's declaration (or its last `.index()` call). */
function mongooseIndexEdit(model: MongooseModel, schemaVar: string, spec: string): FileEdit | undefined {
  const anchor = model.indexAnchor;
  if (!anchor) return undefined;
  const sf = anchor.getSourceFile();
  const start = anchor.getStart(sf);
  const lineStart = sf.text.lastIndexOf('\n', start - 1) + 1;
  const indent = /^[ \t]*/.exec(sf.text.slice(lineStart, start))?.[0] ?? '';
  const semi = sf.text.slice(anchor.getStart(sf), anchor.getEnd()).trimEnd().endsWith(';') ? ';' : '';
  return { fileName: sf.fileName, start: anchor.getEnd(), end: anchor.getEnd(), newText: `\n${indent}${schemaVar}.index(${spec})${semi}` };
}
