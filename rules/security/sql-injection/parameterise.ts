// Turns SQL built by interpolation into a parameterised call: the dynamic parts leave
// the text for the driver's placeholders (`$1`, `?`, `:name`, or a Prisma tagged template)
// and join the values beside it, appended to values already there. Only holes sitting
// where a value goes are moved; a name or keyword position blocks the rewrite.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../../api';
import { findAncestor, skipOuter } from '../../shared/callee';
import { propertyNamed, type PlaceholderStyle, type SqlSinkCall } from '../../shared/sql-sinks';
import { scanSql, type HolePosition, type SqlOut, type SqlScan, type SqlSegment, type ValueOut } from './sql-text';
import { isSafeType, isStringy, type BuiltString, type DynamicPart } from '../../shared/string-building';

export interface Holes {
  readonly flat: FlatString;
  readonly scan: SqlScan;
  /** The interpolated expressions, by hole id. */
  readonly exprs: readonly ts.Expression[];
  /** The dynamic parts each hole carries (directly or through the variables it reads); holes without any are safe. */
  readonly parts: ReadonlyMap<number, readonly DynamicPart[]>;
  readonly unsafe: ReadonlySet<number>;
}

/**
 * The holes of a built string and where each sits in the SQL; undefined when it is not a
 * template or `+` chain. `partsOf` gives the dynamic parts of one hole's expression.
 */
export function sqlHoles(ctx: RuleContext, built: BuiltString, partsOf: (e: ts.Expression) => readonly DynamicPart[]): Holes | undefined {
  const flat = flattenString(ctx, built.node);
  if (!flat) return undefined;
  const exprs: ts.Expression[] = [];
  const segments: SqlSegment[] = flat.pieces.map((p) => (p.kind === 'text' ? p : { kind: 'hole', id: exprs.push(p.expr) - 1 }));
  const parts = new Map<number, readonly DynamicPart[]>();
  exprs.forEach((e, id) => {
    const found = partsOf(e);
    if (found.length > 0) parts.set(id, found);
  });
  return { flat, scan: scanSql(segments), exprs, parts, unsafe: new Set(parts.keys()) };
}

/** Where the hole carrying `part` sits; undefined when no hole of the text carries it. */
export function positionOf(holes: Holes, part: DynamicPart): HolePosition | undefined {
  const id = holeOf(holes, part);
  return id === undefined ? undefined : holes.scan.positions.get(id);
}

/**
 * True when `part` is interpolated as is where SQL goes (`WHERE ${where}`): a fragment
 * built elsewhere and passed through, like SQL text handed to a query function.
 */
export function isPassedThroughFragment(ctx: RuleContext, holes: Holes, part: DynamicPart): boolean {
  const id = holeOf(holes, part);
  return id !== undefined && holes.scan.positions.get(id) === 'fragment' && skipOuter(ctx.ts, holes.exprs[id]) === part.expr;
}

function holeOf(holes: Holes, part: DynamicPart): number | undefined {
  for (const [id, parts] of holes.parts) if (parts.some((p) => p.expr === part.expr)) return id;
  return undefined;
}

export interface Parameterised {
  /** The placeholders given to the moved values, in text order (`$3`, `?`, `:email`). */
  readonly placeholders: readonly string[];
  readonly edits: readonly FileEdit[];
}

/** The rewrite of `sink`'s SQL text into `style` placeholders, or undefined when it cannot be done safely. */
export function parameterise(ctx: RuleContext, sink: SqlSinkCall, style: PlaceholderStyle, built: BuiltString, holes: Holes): Parameterised | undefined {
  const { ts } = ctx;
  if (built.accumulated || style === 'none') return undefined;
  if (built.variable && (style === 'tagged' || !usedOnlyIn(ctx, built.variable, sink.call))) return undefined;
  // `IN ('${ids.join("','")}')` is a list, not one value: moving it out would change the query.
  if ([...holes.unsafe].some((id) => isJoin(ts, holes.exprs[id]))) return undefined;
  const isNumber = (id: number) => isSafeType(ctx, ctx.checker.getTypeAtLocation(holes.exprs[id]));
  const moved = style === 'tagged' ? new Set(holes.exprs.keys()) : holes.unsafe;
  const out = holes.scan.rewrite(moved, (id, p) => p === 'value' || p === 'quoted-value' || (style === 'tagged' && p === 'limit' && !holes.unsafe.has(id) && isNumber(id)));
  if (!out) return undefined;
  const values = out.filter((o): o is { kind: 'value'; value: ValueOut } => o.kind === 'value').map((o) => o.value);
  if (values.length === 0) return undefined;
  const valueText = (v: ValueOut) => valueExpressionText(holes, v);
  const textEdit = (placeholders: readonly string[], asTemplate = false): FileEdit => ({
    fileName: ctx.fileName,
    start: built.node.getStart(),
    end: built.node.end,
    newText: sqlLiteral(holes, out, placeholders, asTemplate),
  });

  if (style === 'tagged') {
    if (sink.call.arguments.length > 1 || !ts.isPropertyAccessExpression(sink.call.expression)) return undefined;
    const name = sink.call.expression.name;
    const typeArgs = sink.call.typeArguments ? `<${sink.call.typeArguments.map((t) => t.getText()).join(', ')}>` : '';
    const tagged = sqlLiteral(holes, out, values.map((v) => `\${${valueText(v)}}`), true);
    const edit = { fileName: ctx.fileName, start: name.getStart(), end: sink.call.end, newText: `${name.text.replace(/Unsafe$/, '')}${typeArgs}${tagged}` };
    return { placeholders: [`\${…}`], edits: [edit] };
  }
  if (style === 'dollar') {
    const slot = valuesSlot(ctx, sink);
    if (!slot) return undefined;
    const base = Math.max(holes.scan.maxDollar, slot.existing?.elements.length ?? 0);
    const placeholders = values.map((_, k) => `$${base + k + 1}`);
    const slotEdits = slot.write(values.map((v) => ({ index: Number.MAX_SAFE_INTEGER, text: valueText(v) })));
    return slotEdits && { placeholders, edits: [textEdit(placeholders), ...slotEdits] };
  }
  if (style === 'question') {
    const slot = valuesSlot(ctx, sink);
    if (!slot || holes.scan.questionMarkInQuotes || (slot.existing?.elements.length ?? 0) !== holes.scan.questionMarks) return undefined;
    const placeholders = values.map(() => '?');
    const slotEdits = slot.write(values.map((v) => ({ index: v.questionsBefore, text: valueText(v) })));
    return slotEdits && { placeholders, edits: [textEdit(placeholders), ...slotEdits] };
  }
  // Named (TypeORM): `:name` with a parameters object.
  const params = namedParamsObject(ctx, sink);
  if (!params) return undefined;
  const taken = new Set([...holes.scan.namedParams, ...chainParameterNames(ctx, sink.call)]);
  const names = values.map((v) => uniqueName(baseName(ts, holes, v), taken));
  const props = values.map((v, k) => (valueText(v) === names[k] ? names[k] : `${names[k]}: ${valueText(v)}`));
  const paramEdit = params.obj ? insertIntoObject(ctx, params.obj, props) : appendArgument(ctx, sink.call, `{ ${props.join(', ')} }`);
  return { placeholders: names.map((n) => `:${n}`), edits: [textEdit(names.map((n) => `:${n}`)), paramEdit] };
}

/** The rewritten SQL as a JS literal: a template when holes stay in it or it was one, else a string in the original quotes. */
function sqlLiteral(holes: Holes, out: readonly SqlOut[], placeholders: readonly string[], forceTemplate: boolean): string {
  const template = forceTemplate || holes.flat.form === 'template' || out.some((o) => o.kind === 'hole');
  let k = 0;
  const body = out
    .map((o) => {
      if (o.kind === 'text') return template ? escapeTemplate(o.text) : escapeString(o.text, holes.flat.quote);
      if (o.kind === 'hole') return `\${${holes.exprs[o.id].getText()}}`;
      // A tagged-template placeholder is already `${…}`; others are plain text.
      const ph = placeholders[k++];
      return ph.startsWith('${') || !template ? ph : escapeTemplate(ph);
    })
    .join('');
  return template ? `\`${body}\`` : `${holes.flat.quote}${body}${holes.flat.quote}`;
}

/** The JS expression for a moved value: the interpolated expression, or a template for `'%${q}%'`. */
function valueExpressionText(holes: Holes, v: ValueOut): string {
  if (v.content.length === 1 && v.content[0].kind === 'hole') return holes.exprs[v.content[0].id].getText();
  return `\`${v.content.map((c) => (c.kind === 'text' ? escapeTemplate(c.text) : `\${${holes.exprs[c.id].getText()}}`)).join('')}\``;
}

function escapeTemplate(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

function escapeString(s: string, quote: string): string {
  return s.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function isJoin(ts: RuleContext['ts'], e: ts.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'join';
}

interface Slot {
  readonly existing?: ts.ArrayLiteralExpression;
  /** Edits adding values; `index` is where each goes among the existing ones. */
  write(values: readonly { index: number; text: string }[]): FileEdit[] | undefined;
}

/** Where positional values go for this call: an array argument, a config object's `values`, Sequelize's `bind` option. */
function valuesSlot(ctx: RuleContext, sink: SqlSinkCall): Slot | undefined {
  const { ts } = ctx;
  const slot = sink.spec.values;
  if (sink.config) {
    if (!sink.spec.valuesProperty || sink.call.arguments.length > 1) return undefined;
    return propertySlot(ctx, sink.config, sink.spec.valuesProperty);
  }
  if (slot.kind === 'option') {
    const arg = sink.call.arguments[slot.index];
    if (!arg) return { write: (vs) => [appendArgument(ctx, sink.call, `{ ${slot.property}: [${vs.map((v) => v.text).join(', ')}] }`)] };
    const obj = skipOuter(ts, arg);
    return ts.isObjectLiteralExpression(obj) ? propertySlot(ctx, obj, slot.property) : undefined;
  }
  if (slot.kind !== 'argument') return undefined;
  const arg = sink.call.arguments[slot.index];
  const fresh = (vs: readonly { text: string }[]) => `[${vs.map((v) => v.text).join(', ')}]`;
  if (!arg) return sink.call.arguments.length === slot.index ? { write: (vs) => [appendArgument(ctx, sink.call, fresh(vs))] } : undefined;
  const e = skipOuter(ts, arg);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    return { write: (vs) => [{ fileName: ctx.fileName, start: arg.getStart(), end: arg.getStart(), newText: `${fresh(vs)}, ` }] };
  }
  return ts.isArrayLiteralExpression(e) ? arraySlot(ctx, e) : undefined;
}

function propertySlot(ctx: RuleContext, obj: ts.ObjectLiteralExpression, property: string): Slot | undefined {
  const { ts } = ctx;
  const prop = propertyNamed(ts, obj, property);
  if (!prop) {
    if (obj.properties.some((p) => ts.isShorthandPropertyAssignment(p) && p.name.text === property)) return undefined;
    return { write: (vs) => [insertIntoObject(ctx, obj, [`${property}: [${vs.map((v) => v.text).join(', ')}]`])] };
  }
  const init = skipOuter(ts, prop.initializer);
  return ts.isArrayLiteralExpression(init) ? arraySlot(ctx, init) : undefined;
}

function arraySlot(ctx: RuleContext, arr: ts.ArrayLiteralExpression): Slot | undefined {
  const { ts } = ctx;
  if (arr.elements.some((el) => ts.isSpreadElement(el) || ts.isOmittedExpression(el))) return undefined;
  return {
    existing: arr,
    write: (vs) => {
      const byIndex = new Map<number, string[]>();
      for (const v of vs) {
        const at = Math.min(v.index, arr.elements.length);
        byIndex.set(at, [...(byIndex.get(at) ?? []), v.text]);
      }
      return [...byIndex].map(([at, texts]) => {
        if (arr.elements.length === 0) return { fileName: ctx.fileName, start: arr.getStart() + 1, end: arr.end - 1, newText: texts.join(', ') };
        if (at < arr.elements.length) {
          const start = arr.elements[at].getStart();
          return { fileName: ctx.fileName, start, end: start, newText: `${texts.join(', ')}, ` };
        }
        const end = arr.elements[arr.elements.length - 1].end;
        return { fileName: ctx.fileName, start: end, end, newText: `, ${texts.join(', ')}` };
      });
    },
  };
}

function insertIntoObject(ctx: RuleContext, obj: ts.ObjectLiteralExpression, props: readonly string[]): FileEdit {
  if (obj.properties.length === 0) return { fileName: ctx.fileName, start: obj.getStart(), end: obj.end, newText: `{ ${props.join(', ')} }` };
  const end = obj.properties[obj.properties.length - 1].end;
  return { fileName: ctx.fileName, start: end, end, newText: `, ${props.join(', ')}` };
}

function appendArgument(ctx: RuleContext, call: ts.CallExpression, text: string): FileEdit {
  const last = call.arguments[call.arguments.length - 1];
  const at = last ? last.end : call.arguments.end;
  return { fileName: ctx.fileName, start: at, end: at, newText: last ? `, ${text}` : text };
}

/** TypeORM's parameters object at the spec's index: the literal to add to, `{}` (none yet), or undefined (not editable). */
function namedParamsObject(ctx: RuleContext, sink: SqlSinkCall): { obj?: ts.ObjectLiteralExpression } | undefined {
  const { ts } = ctx;
  const slot = sink.spec.values;
  if (slot.kind !== 'named-object') return undefined;
  const arg = sink.call.arguments[slot.index];
  if (!arg) return sink.call.arguments.length === slot.index ? {} : undefined;
  const e = skipOuter(ts, arg);
  return ts.isObjectLiteralExpression(e) && e.properties.every((p) => ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) ? { obj: e } : undefined;
}

/** Parameter names already given anywhere in the same query-builder chain (TypeORM merges them). */
function chainParameterNames(ctx: RuleContext, call: ts.CallExpression): string[] {
  const { ts } = ctx;
  let top: ts.Expression = call;
  while (ts.isPropertyAccessExpression(top.parent) && ts.isCallExpression(top.parent.parent)) top = top.parent.parent;
  const names: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isObjectLiteralExpression(n)) for (const p of n.properties) if (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) names.push(p.name.text);
    ts.forEachChild(n, visit);
  };
  visit(top);
  return names;
}

function baseName(ts: RuleContext['ts'], holes: Holes, v: ValueOut): string {
  const first = v.content.find((c) => c.kind === 'hole');
  let e = first && first.kind === 'hole' ? skipOuter(ts, holes.exprs[first.id]) : undefined;
  while (e && ts.isCallExpression(e)) e = ts.isPropertyAccessExpression(e.expression) ? skipOuter(ts, e.expression.expression) : undefined;
  const name = e && ts.isPropertyAccessExpression(e) ? e.name.text : e && ts.isIdentifier(e) ? e.text : 'value';
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : 'value';
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}

/** True when the variable is read only at `call` (so its initializer can be rewritten for it). */
function usedOnlyIn(ctx: RuleContext, decl: ts.VariableDeclaration, call: ts.CallExpression): boolean {
  const { ts, checker } = ctx;
  if (!ts.isIdentifier(decl.name)) return false;
  const symbol = checker.getSymbolAtLocation(decl.name);
  let outside = 0;
  const name = decl.name.text;
  const visit = (n: ts.Node): void => {
    // The text comparison only skips the checker for other names; the symbol decides.
    if (ts.isIdentifier(n) && n.text === name && n !== decl.name && checker.getSymbolAtLocation(n) === symbol && !(n.pos >= call.pos && n.end <= call.end)) outside++;
    ts.forEachChild(n, visit);
  };
  visit(findAncestor(ts, decl, (n): n is ts.Node => ts.isFunctionLike(n)) ?? decl.getSourceFile());
  return outside === 0 && decl.getSourceFile() === call.getSourceFile();
}

/** A template or concatenation flattened to its literal text and the expressions between. */
export type Piece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'expr'; readonly expr: ts.Expression };

export interface FlatString {
  readonly form: 'template' | 'concatenation';
  readonly pieces: readonly Piece[];
  /** The quote of the first string literal of a concatenation (to write the result in the same style). */
  readonly quote: string;
}

/** A template or `+` chain as text and expressions, for rewriting it. */
export function flattenString(ctx: RuleContext, expr: ts.Expression): FlatString | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isTemplateExpression(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { form: 'template', pieces: templatePieces(ts, e), quote: '`' };
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.PlusToken || !isStringy(ctx, e)) return undefined;
  const pieces: Piece[] = [];
  let quote = '';
  const visit = (n: ts.Expression): void => {
    const x = ts.isParenthesizedExpression(n) ? n.expression : n;
    // Only string-typed `+` is concatenation: in `n + 1 + 'x'` the numbers add first.
    if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken && isStringy(ctx, x)) {
      visit(x.left);
      visit(x.right);
    } else if (ts.isStringLiteral(x)) {
      quote ||= x.getText().charAt(0);
      pieces.push({ kind: 'text', text: x.text });
    } else if (ts.isNoSubstitutionTemplateLiteral(x) || ts.isTemplateExpression(x)) pieces.push(...templatePieces(ts, x));
    else pieces.push({ kind: 'expr', expr: x });
  };
  visit(e);
  return { form: 'concatenation', pieces, quote: quote || "'" };
}

function templatePieces(ts: RuleContext['ts'], t: ts.TemplateExpression | ts.NoSubstitutionTemplateLiteral): Piece[] {
  if (ts.isNoSubstitutionTemplateLiteral(t)) return [{ kind: 'text', text: t.text }];
  const out: Piece[] = [{ kind: 'text', text: t.head.text }];
  for (const span of t.templateSpans) out.push({ kind: 'expr', expr: span.expression }, { kind: 'text', text: span.literal.text });
  return out;
}
