// The "Add validation" fix: a module-level schema per unvalidated part, built from the
// fields the handler reads; a parse at the top of the handler that answers 400 with
// the issues; and the handler's reads rewritten to use the parsed data. It writes for
// the schema library the project has (zod when none, adding it to package.json).
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import type { RouteHandler } from '../../shared/http';
import { projectSchemaLibrary, type SchemaLibrary } from '../../shared/validation-libs';
import { handlerName, nextRoutePath } from './naming';
import type { Verdict } from './verdict';
import { addDependencyEdits, ensureImport, lineStart, Namer, TextEdits } from './edit-helpers';
import { fieldShapes, shapesOfType, type FieldShape } from './field-shapes';
import { LIBRARY_IMPORT, NS, WRITERS } from './schema-text';
import { isFieldParameter, type Part } from './sources';

const ZOD_RANGE = '^4.0.0';
const PART_NAMES: Readonly<Record<Part, string>> = { body: 'Body', query: 'Query', params: 'Params' };

interface PartPlan {
  readonly part: Part;
  readonly schemaName: string;
  readonly shapes: FieldShape[];
  readonly subject: string;
  readonly target: string;
  readonly resultName: string;
  /** A `const body = await request.json();` statement the parse replaces. */
  readonly replaces?: ts.Statement;
}

export function buildFix(ctx: RuleContext, v: Verdict): Fix | undefined {
  const { ts } = ctx;
  const { handler, facts } = v;
  const fn = handler.fn;
  const deps = ctx.project.packageJson(ctx.fileName)?.allDependencies ?? {};
  // A Nest app with class-validator is fixed with decorators and a pipe, not a hand-written parse.
  if (handler.framework === 'nest' && 'class-validator' in deps) return undefined;
  if (!fn.body) return undefined;
  const known = projectSchemaLibrary(ctx);
  const lib: SchemaLibrary = known ?? 'zod';
  const isJs = /\.[cm]?jsx?$/.test(ctx.fileName);
  const sf = ctx.sourceFile;
  const namer = new Namer(ctx, fn);
  const edits = new TextEdits(sf.text);
  const indentUnit = detectIndentUnit(sf.text);
  const base = schemaBaseName(ctx, handler);

  const fail = failure(ctx, handler, edits, namer);
  if (!fail) return undefined;

  const plans: PartPlan[] = [];
  for (const part of v.parts) {
    const reads = facts.data.fields.filter((f) => f.part === part);
    const wholes = facts.data.wholes.filter((w) => w.part === part);
    const origins = [...reads.map((r) => r.origin), ...wholes.map((w) => w.origin)];
    // URLSearchParams/FormData reads and Nest single-field parameters are not rewritten by this fix.
    if (origins.some((o) => o.search) || reads.some(isFieldParameter)) return undefined;
    // Used whole, every field matters; otherwise a field the code only tests may be absent.
    const used = new Set((wholes.length ? reads : facts.usedFields.filter((f) => f.part === part)).map((f) => f.field));
    let shapes = fieldShapes(ctx, facts.data, reads, used, fn);
    for (const w of wholes) shapes = mergeShapes(shapes, shapesOfType(ctx, ctx.checker.getTypeAtLocation(w.node)));
    if (!shapes.length) return undefined;
    const schemaName = namer.module(`${base}${PART_NAMES[part]}`);
    const holder = origins.map((o) => o.holder).find((h) => h);
    const replaced = holder && ts.isVariableDeclaration(holder) ? replaceableStatement(ctx, fn, holder) : undefined;
    const bases = [...reads.flatMap((r) => (r.isAccess ? [accessBase(ts, r.node as ts.Expression)] : [])), ...wholes.map((w) => w.node), ...facts.data.producers].filter((p) => {
      const kind = facts.data.kindOf(p);
      return kind?.kind === 'part' && kind.part === part;
    });
    let subject: string;
    let target: string;
    // An identifier that stands for the whole part and is rewritten to the parsed data:
    // a Nest `@Body() dto`, a destructured `({ body }, res)`.
    let alias: ts.Symbol | undefined;
    if (replaced && holder && ts.isVariableDeclaration(holder) && holder.initializer) {
      subject = holder.initializer.getText();
      target = (holder.name as ts.Identifier).text;
    } else {
      const producer = bases.filter((p) => !ts.isIdentifier(skipOuter(ts, p))).sort((a, b) => a.getStart() - b.getStart())[0];
      if (producer) subject = skipOuter(ts, producer).getText();
      else {
        alias = soleAlias(ctx, bases);
        if (!alias) return undefined;
        subject = alias.name;
      }
      target = namer.local(part);
    }
    // yup reports failure by throwing: the name is the caught error's.
    const resultName = namer.local(lib === 'yup' ? 'validationError' : `parsed${target[0].toUpperCase()}${target.slice(1)}`);
    plans.push({ part, schemaName, shapes, subject, target, resultName, replaces: replaced });
    rewriteReads(ctx, v, part, target, replaced, alias, edits);
  }

  // The parse statements, at the top of the handler (or where the part was first stored).
  const writer = WRITERS[lib];
  const local = ensureImport(ctx, LIBRARY_IMPORT[lib], edits, isJs);
  const bodyIndent = ts.isBlock(fn.body) && fn.body.statements.length ? indentOf(sf.text, fn.body.statements[0].getStart()) : indentOf(sf.text, fn.getStart()) + indentUnit;
  const parseLines = (plan: PartPlan): string[] =>
    writer.parse({ schemaName: plan.schemaName, subject: plan.subject, resultName: plan.resultName, target: plan.target, fail, withTypes: !isJs, indent: indentUnit }).map((l) => l.split(NS).join(local));
  const atTop = plans.filter((p) => !p.replaces).flatMap(parseLines);
  for (const plan of plans.filter((p) => p.replaces)) {
    const stmt = plan.replaces!;
    const indent = indentOf(sf.text, stmt.getStart());
    edits.replace(stmt.getStart(), stmt.getEnd(), parseLines(plan).join(`\n${indent}`));
  }
  if (atTop.length) {
    if (ts.isBlock(fn.body)) {
      const first = fn.body.statements[0];
      const at = first ? lineStart(sf.text, first.getStart()) : fn.body.getStart() + 1;
      edits.insert(at, atTop.map((l) => `${bodyIndent}${l}\n`).join(''));
    } else {
      // An expression-bodied arrow becomes a block that returns the same expression.
      const expr = fn.body;
      const outer = indentOf(sf.text, fn.getStart());
      const rewritten = edits.takeWithin(expr.getStart(), expr.getEnd());
      edits.replace(expr.getStart(), expr.getEnd(), `{\n${atTop.map((l) => `${bodyIndent}${l}\n`).join('')}${bodyIndent}return ${rewritten};\n${outer}}`);
    }
  }

  // The schemas, at module level above the statement that holds the handler.
  const anchor = topLevelStatement(ctx, fn);
  const declarations = plans.map((p) => `const ${p.schemaName} = ${writer.schema(p.shapes, p.part, indentUnit, !isJs)};`.split(NS).join(local));
  const at = anchorPosition(ctx, anchor);
  // Keep a blank line between the schema and the statement above it.
  const previousLine = sf.text.slice(lineStart(sf.text, Math.max(0, at - 1)), Math.max(0, at - 1));
  const spacer = at > 0 && previousLine.trim() !== '' ? '\n' : '';
  edits.insert(at, `${spacer}${declarations.join('\n\n')}\n\n`);

  const fileEdits: FileEdit[] = edits.toFileEdits(ctx.fileName);
  if (!known) fileEdits.push(...addDependencyEdits(ctx, 'zod', ZOD_RANGE));
  const names = plans.map((p) => `\`${p.schemaName}\``).join(' and ');
  return { title: `Add validation: parse with ${lib} schema ${names}`, isPreferred: true, safe: false, edits: fileEdits };
}

/** The statement the fix may replace: `const body = await request.json();` directly in the handler body. */
function replaceableStatement(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, decl: ts.VariableDeclaration): ts.Statement | undefined {
  const { ts } = ctx;
  const list = decl.parent;
  const stmt = list?.parent;
  if (!ts.isIdentifier(decl.name) || !ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !stmt || !ts.isVariableStatement(stmt)) return undefined;
  return stmt.parent === fn.body ? stmt : undefined;
}

/** `req.body` in `req.body.email`, `(await request.json())` in `(await request.json()).email`. */
function accessBase(ts: RuleContext['ts'], access: ts.Expression): ts.Expression {
  const e = skipOuter(ts, access);
  return ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) ? e.expression : e;
}

/** Points every read of the part at the parsed data. */
/** The one parameter or destructured binding all reads of the part go through, if there is one. */
function soleAlias(ctx: RuleContext, bases: readonly ts.Expression[]): ts.Symbol | undefined {
  const { ts } = ctx;
  const symbols = new Set<ts.Symbol | undefined>();
  for (const b of bases) {
    const e = skipOuter(ts, b);
    symbols.add(ts.isIdentifier(e) ? ctx.checker.getSymbolAtLocation(e) : undefined);
  }
  const [symbol] = symbols;
  const decl = symbol?.valueDeclaration;
  return symbols.size === 1 && decl && (ts.isParameter(decl) || ts.isBindingElement(decl)) && ts.isIdentifier(decl.name) ? symbol : undefined;
}

function rewriteReads(ctx: RuleContext, v: Verdict, part: Part, target: string, replaced: ts.Statement | undefined, alias: ts.Symbol | undefined, edits: TextEdits): void {
  const { ts } = ctx;
  const data = v.facts.data;
  const inReplaced = (n: ts.Node): boolean => !!replaced && n.getStart() >= replaced.getStart() && n.getEnd() <= replaced.getEnd();
  const rewrite = (e: ts.Expression): void => {
    if (inReplaced(e)) return;
    const inner = skipOuter(ts, e);
    if (ts.isIdentifier(inner)) {
      // Aliases keep their name (their initializer is rewritten), except the one the parse replaces.
      if (alias && data.symbolOf(inner) === alias) edits.replace(e.getStart(), e.getEnd(), target);
      return;
    }
    edits.replace(e.getStart(), e.getEnd(), target);
  };
  for (const r of data.fields) if (r.part === part && r.isAccess) rewrite(accessBase(ts, r.node as ts.Expression));
  for (const w of data.wholes) if (w.part === part) rewrite(w.node);
  for (const p of data.producers) {
    const kind = data.kindOf(p);
    if (kind?.kind === 'part' && kind.part === part) rewrite(p);
  }
}

/** The statements that answer invalid input, per framework (given the errors expression). */
function failure(ctx: RuleContext, h: RouteHandler, edits: TextEdits, namer: Namer): ((errors: string) => string[]) | undefined {
  const { ts } = ctx;
  const fn = h.fn;
  switch (h.framework) {
    case 'nest': {
      const name = ensureImport(ctx, { module: '@nestjs/common', named: 'BadRequestException' }, edits, false);
      return (errors) => [`throw new ${name}(${errors});`];
    }
    case 'next':
      if (!h.response) return (errors) => [`return Response.json({ errors: ${errors} }, { status: 400 });`];
      break;
    case 'fastify': {
      let reply = h.response && ts.isIdentifier(h.response.name) ? h.response.name.text : undefined;
      if (!h.response && h.request && ts.isIdentifier(h.request.name) && fn.parameters.length === 1) {
        reply = namer.local('reply');
        const param = h.request;
        const parenthesised = ctx.sourceFile.text.slice(fn.getStart(), param.getStart()).includes('(');
        if (parenthesised) edits.insert(param.getEnd(), `, ${reply}`);
        else edits.replace(param.getStart(), param.getEnd(), `(${param.getText()}, ${reply})`);
      }
      if (!reply) return undefined;
      return (errors) => [`return ${reply}.code(400).send({ errors: ${errors} });`];
    }
  }
  const res = h.response && ts.isIdentifier(h.response.name) ? h.response.name.text : undefined;
  if (!res) return undefined;
  // A declared return type (Promise<void>) may not accept the response object.
  if (fn.type) return (errors) => [`${res}.status(400).json({ errors: ${errors} });`, 'return;'];
  return (errors) => [`return ${res}.status(400).json({ errors: ${errors} });`];
}

/** `createUser` → createUserBody; an inline `POST /users` handler → postUsersBody. */
function schemaBaseName(ctx: RuleContext, h: RouteHandler): string {
  const name = handlerName(ctx, h.fn);
  if (name && !/^[A-Z]+$/.test(name)) return name[0].toLowerCase() + name.slice(1);
  const route = h.framework === 'next' ? nextRoutePath(ctx.fileName) : h.path;
  const words = [h.method && h.method !== 'all' ? h.method : 'handle', ...(route ?? '').split('/').filter((s) => s && !/^[:[(]/.test(s) && s !== 'api')];
  const camel = words
    .flatMap((w) => w.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1)))
    .join('');
  return /^[A-Za-z_$]/.test(camel) ? camel : `handle${camel}`;
}

function mergeShapes(a: FieldShape[], b: readonly FieldShape[]): FieldShape[] {
  const names = new Set(a.map((s) => s.name));
  return [...a, ...b.filter((s) => !names.has(s.name))];
}

function topLevelStatement(ctx: RuleContext, node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && !ctx.ts.isSourceFile(n.parent)) n = n.parent;
  return n;
}

/** Above the statement and the comments that belong to it. */
function anchorPosition(ctx: RuleContext, stmt: ts.Node): number {
  const text = ctx.sourceFile.text;
  const comments = ctx.ts.getLeadingCommentRanges(text, stmt.getFullStart()) ?? [];
  // A file header (the first statement's leading comment followed by a blank line) stays on top.
  const own = comments.filter((c) => !/\n\s*\n/.test(text.slice(c.end, stmt.getStart())));
  return lineStart(text, own.length ? own[0].pos : stmt.getStart());
}

function indentOf(text: string, pos: number): string {
  const start = lineStart(text, pos);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

function detectIndentUnit(text: string): string {
  const m = /\n(\t+|[ ]{2,})\S/.exec(text);
  if (!m) return '  ';
  return m[1].startsWith('\t') ? '\t' : m[1].length >= 4 && m[1].length % 4 === 0 && !/\n {2}\S/.test(text) ? '    ' : '  ';
}
