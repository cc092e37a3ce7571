// The quick fix: a bounded retry with a per-attempt timeout for idempotent requests
// (through the project's `withRetry` helper), only a timeout for the others, and a
// try/catch in the Express 4 handler the failure would otherwise escape from
// (forwarding to `next(err)`, or answering 502). Edits are insertions wherever
// possible, so the user's code and comments stay as they were.
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { clientSource, optionProperty, timeoutOptionText, type OutboundCall, type Presence } from '../../shared/outbound-http';
import type { UnhandledFailure } from './failure-path';
import { planHelper } from './retry-helper';
import { TextEdits } from './text-edits';

export interface FixInput {
  readonly out: OutboundCall;
  readonly timeout: Presence;
  readonly failure: UnhandledFailure | undefined;
  readonly idempotent: boolean;
  readonly timeoutMs: number;
}

const HELPER_DEFAULT_TIMEOUT_MS = 10_000;

export function buildFix(ctx: RuleContext, input: FixInput): Fix | undefined {
  const { out } = input;
  const edits = new TextEdits(ctx.fileName);
  const extra: FileEdit[] = [];
  const ms = formatMs(input.timeoutMs);

  let bounded: 'retry' | 'timeout' | 'got-retry' | undefined;
  if (input.timeout === 'missing') {
    const retryable = input.idempotent && (out.client === 'fetch' || out.client === 'undici' || out.client === 'axios');
    const plan = retryable ? planHelper(ctx) : undefined;
    if (plan && addRetry(ctx, edits, out, ms, input.timeoutMs)) {
      bounded = 'retry';
      if (plan.create) extra.push(plan.create);
      if (plan.importEdit) edits.insert(plan.importEdit.start, plan.importEdit.newText);
    } else if (out.client === 'got' && input.idempotent && !hasGotRetry(ctx, out) && addTimeout(ctx, edits, out, [timeoutOptionText('got', ms), 'retry: { limit: 2 }'])) {
      // got retries idempotent requests itself: stating the bound keeps a later default change from widening it.
      bounded = 'got-retry';
    } else if (out.client === 'node-http' && addNodeHttpTimeout(ctx, edits, out, ms)) {
      bounded = 'timeout';
    } else if (addTimeout(ctx, edits, out, [timeoutOptionText(out.client, ms)])) {
      bounded = 'timeout';
    }
  }
  // After the call's edits, so the code they insert is indented with the rest of the wrapped lines.
  const handled = input.failure ? addTryCatch(ctx, edits, input.failure) || addCatchToReturned(ctx, edits, input.failure) : false;
  if (!handled && !bounded) return undefined;
  return { title: titleOf(bounded, handled), isPreferred: true, safe: false, edits: [...extra, ...edits.toFileEdits()] };
}

function titleOf(bounded: 'retry' | 'timeout' | 'got-retry' | undefined, handled: boolean): string {
  if (bounded === 'retry') return handled ? 'Wrap in try/retry' : 'Retry with backoff and a per-attempt timeout';
  if (bounded === 'got-retry') return handled ? 'Add a timeout and a bounded retry, and handle the failure' : 'Add a timeout and a bounded retry';
  if (bounded === 'timeout') return handled ? 'Add a timeout and handle the failure' : 'Add a timeout';
  return 'Handle the failure';
}

/** 10000 → `10_000`. */
function formatMs(ms: number): string {
  return String(Math.round(ms)).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}

/** `withRetry((signal) => fetch(url, { signal }))`, `withRetry(() => axios.get(url, { timeout: 10_000 }))`. */
function addRetry(ctx: RuleContext, edits: TextEdits, out: OutboundCall, ms: string, timeoutMs: number): boolean {
  const call = out.call;
  const usesSignal = out.client !== 'axios';
  const param = usesSignal ? (mentions(ctx, call, 'signal') ? 'attemptSignal' : 'signal') : '';
  const option = usesSignal ? (param === 'signal' ? 'signal' : `signal: ${param}`) : `timeout: ${ms}`;
  // axios bounds each attempt with its own `timeout` (on the instance when we can see it made).
  const add = (e: TextEdits) => (usesSignal ? addOption(ctx, e, out, option) : addTimeout(ctx, e, out, option));
  if (!add(new TextEdits(ctx.fileName))) return false;
  edits.insert(call.getStart(ctx.sourceFile), `withRetry((${param}) => `);
  add(edits);
  const settings = usesSignal && timeoutMs !== HELPER_DEFAULT_TIMEOUT_MS ? `, { timeoutMs: ${ms} }` : '';
  edits.insert(call.getEnd(), `${settings})`);
  return true;
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

/**
 * The timeout of an axios/got call made through an instance created in this file
 * goes into the instance's config, which bounds its other calls too.
 */
function addTimeout(ctx: RuleContext, edits: TextEdits, out: OutboundCall, property: string | readonly string[]): boolean {
  if ((out.client === 'axios' || out.client === 'got') && out.receiver) {
    const source = clientSource(ctx, out.receiver, out.client);
    const config = source.kind === 'created' && source.creation.getSourceFile() === ctx.sourceFile ? source.creation.arguments[0] : undefined;
    if (config && ctx.ts.isObjectLiteralExpression(skipOuter(ctx.ts, config))) return addProperty(ctx, edits, skipOuter(ctx.ts, config) as ts.ObjectLiteralExpression, property);
    if (source.kind === 'created' && source.creation.arguments.length === 0 && source.creation.getSourceFile() === ctx.sourceFile) {
      const at = source.creation.arguments.pos;
      edits.insert(at, `{ ${[property].flat().join(', ')} }`);
      return true;
    }
  }
  return addOption(ctx, edits, out, property);
}

/** Adds `property` to the call's options object, or passes a new options object where the client reads it. */
function addOption(ctx: RuleContext, edits: TextEdits, out: OutboundCall, property: string | readonly string[]): boolean {
  const { ts } = ctx;
  if (out.options) {
    const o = skipOuter(ts, out.options);
    return ts.isObjectLiteralExpression(o) && addProperty(ctx, edits, o, property);
  }
  const args = out.call.arguments;
  if (args.hasTrailingComma || args.length === 0) return false;
  const object = `{ ${[property].flat().join(', ')} }`;
  if (out.optionsIndex < args.length) {
    // http.get(url, callback): the options go between the URL and the callback.
    edits.insert(args[out.optionsIndex].getStart(ctx.sourceFile), `${object}, `);
  } else {
    const padding = ', undefined'.repeat(out.optionsIndex - args.length);
    edits.insert(args[args.length - 1].getEnd(), `${padding}, ${object}`);
  }
  return true;
}

function addProperty(ctx: RuleContext, edits: TextEdits, o: ts.ObjectLiteralExpression, properties: string | readonly string[]): boolean {
  const text = ctx.sourceFile.text;
  if (o.properties.some((p) => ctx.ts.isSpreadAssignment(p))) return false;
  const list = [properties].flat();
  const last = o.properties[o.properties.length - 1];
  if (!last) {
    edits.replace(o.getStart(ctx.sourceFile), o.getEnd(), `{ ${list.join(', ')} }`);
    return true;
  }
  const afterLast = nextNonSpace(text, last.getEnd());
  const multiline = text.slice(o.getStart(ctx.sourceFile), o.properties[0].getStart(ctx.sourceFile)).includes('\n');
  if (multiline) {
    const indent = indentOfLine(text, last.getStart(ctx.sourceFile));
    const lines = list.join(`,\n${indent}`);
    if (text[afterLast] === ',') edits.insert(afterLast + 1, `\n${indent}${lines},`);
    else edits.insert(last.getEnd(), `,\n${indent}${lines}`);
  } else if (text[afterLast] === ',') {
    edits.insert(afterLast + 1, ` ${list.join(', ')}`);
  } else {
    edits.insert(last.getEnd(), `, ${list.join(', ')}`);
  }
  return true;
}

/** A `retry` option on the call or on the `got.extend(...)` it goes through: the project chose its retries. */
function hasGotRetry(ctx: RuleContext, out: OutboundCall): boolean {
  if (optionProperty(ctx, out.options, 'retry')) return true;
  const source = out.receiver ? clientSource(ctx, out.receiver, 'got') : undefined;
  return source?.kind === 'created' && source.creation.arguments.some((a) => optionProperty(ctx, a, 'retry'));
}

/**
 * node:http's `timeout` option only emits `timeout`; the request goes on until destroyed. For
 * `const req = https.request(...)`: the option, and `req.on('timeout', () => req.destroy(...))`
 * after the declaration (the destroy's error reaches the `error` listener the request has).
 */
function addNodeHttpTimeout(ctx: RuleContext, edits: TextEdits, out: OutboundCall, ms: string): boolean {
  const { ts } = ctx;
  let n: ts.Node = out.call;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const decl = n.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || !ts.isVariableStatement(decl.parent.parent)) return false;
  const statement = decl.parent.parent;
  const probe = new TextEdits(ctx.fileName);
  if (!addOption(ctx, probe, out, [`timeout: ${ms}`])) return false;
  addOption(ctx, edits, out, [`timeout: ${ms}`]);
  const name = decl.name.text;
  const indent = indentOfLine(ctx.sourceFile.text, statement.getStart(ctx.sourceFile));
  edits.insert(statement.getEnd(), `\n${indent}${name}.on('timeout', () => ${name}.destroy(new Error('Request timed out')));`);
  return true;
}

function nextNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function indentOfLine(text: string, pos: number): string {
  const start = lineStartOf(text, pos);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/**
 * Wraps the handler's statements, from the one where the failure surfaces to the
 * end of the body, in try/catch. Line-based: it gives up on one-line bodies.
 */
function addTryCatch(ctx: RuleContext, edits: TextEdits, failure: UnhandledFailure): boolean {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const text = sf.text;
  const { handler, surfacesAt } = failure;
  const body = handler.fn.body;
  if (!surfacesAt || !body || !ts.isBlock(body)) return false;
  const catchBody = catchStatements(ctx, failure);
  if (!catchBody) return false;
  const first = body.statements.find((s) => s.pos <= surfacesAt.pos && surfacesAt.end <= s.end);
  const last = body.statements[body.statements.length - 1];
  if (!first || !last) return false;
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  // Only when the body's braces sit on their own lines around the wrapped statements.
  if (line(body.getStart(sf)) === line(first.getStart(sf)) || line(body.getEnd()) === line(last.getEnd())) return false;

  const indent = indentOfLine(text, first.getStart(sf));
  const outer = indentOfLine(text, body.getStart(sf));
  const unit = indent.includes('\t') ? '\t' : indent.startsWith(outer) && indent.length > outer.length ? indent.slice(outer.length) : '  ';
  const startLine = line(first.getStart(sf));
  const endLine = line(last.getEnd());
  const lineStarts = sf.getLineStarts();
  const protectedRanges = templateRanges(ctx, first.getStart(sf), last.getEnd());

  const endOfLastLine = endLine + 1 < lineStarts.length ? lineStarts[endLine + 1] - 1 : text.length;
  const eol = text[endOfLastLine - 1] === '\r' ? endOfLastLine - 1 : endOfLastLine;
  edits.indentInsertedWithin(lineStarts[startLine], eol, unit);
  for (let l = endLine; l >= startLine; l--) {
    const pos = lineStarts[l];
    const lineEnd = l + 1 < lineStarts.length ? lineStarts[l + 1] : text.length;
    if (text.slice(pos, lineEnd).trim() === '') continue;
    // A line inside a multi-line template literal is part of the string.
    if (protectedRanges.some(([s, e]) => s < pos && pos < e)) continue;
    edits.insert(pos, unit, true);
  }
  edits.insert(lineStarts[startLine], `${indent}try {\n`, true);
  const inner = catchBody.map((s) => `${indent}${unit}${s}`).join('\n');
  edits.insert(eol, `\n${indent}} catch (err) {\n${inner}\n${indent}}`);
  return true;
}

/** `return fetch(url).then(...)` in a handler: end the chain with `.catch(next)` (or a logged 502). */
function addCatchToReturned(ctx: RuleContext, edits: TextEdits, failure: UnhandledFailure): boolean {
  const { ts } = ctx;
  const returned = failure.returned;
  if (!returned) return false;
  const { next, response } = failure.handler;
  let handler: string;
  if (next && ts.isIdentifier(next.name)) handler = next.name.text;
  else if (response && ts.isIdentifier(response.name)) handler = `(err) => {\n  console.error(err);\n  ${response.name.text}.status(502).json({ error: 'Upstream service unavailable' });\n}`;
  else return false;
  const indent = indentOfLine(ctx.sourceFile.text, returned.getStart(ctx.sourceFile));
  handler = handler.replace(/\n/g, `\n${indent}`);
  const e = skipOuter(ts, returned);
  const needsParens = !(ts.isCallExpression(e) || ts.isPropertyAccessExpression(e) || ts.isIdentifier(e) || ts.isParenthesizedExpression(returned));
  if (needsParens) edits.insert(returned.getStart(ctx.sourceFile), '(', true);
  edits.insert(returned.getEnd(), `${needsParens ? ')' : ''}.catch(${handler})`);
  return true;
}

/** `next(err)` where the handler has `next`; else a logged error and a 502. */
function catchStatements(ctx: RuleContext, failure: UnhandledFailure): string[] | undefined {
  const { ts } = ctx;
  const { next, response } = failure.handler;
  if (next && ts.isIdentifier(next.name)) return [`${next.name.text}(err);`];
  if (response && ts.isIdentifier(response.name)) {
    return ['console.error(err);', `${response.name.text}.status(502).json({ error: 'Upstream service unavailable' });`];
  }
  return undefined;
}

function templateRanges(ctx: RuleContext, start: number, end: number): Array<[number, number]> {
  const { ts } = ctx;
  const out: Array<[number, number]> = [];
  const visit = (n: ts.Node): void => {
    if (n.end < start || n.pos > end) return;
    if (ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) out.push([n.getStart(ctx.sourceFile), n.getEnd()]);
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return out;
}
