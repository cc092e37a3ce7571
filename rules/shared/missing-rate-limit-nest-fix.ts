// The Nest fix of missing-rate-limit: the root module passed to `NestFactory.create` (usually
// in app.module.ts) gets `ThrottlerModule.forRoot(…)` in its `@Module` imports and
// `ThrottlerGuard` as an `APP_GUARD` provider, so every controller is limited. The module's
// metadata is edited only where the code states it literally — an object literal with array
// literals — since appending to a variable or a spread could change modules elsewhere.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../api';
import { contextFor } from '../inventory/location';
import { originOf, skipOuter } from './callee';
import { insertProperty, propertyOf } from './option-objects';
import { nameTaken } from './rate-limit-imports';

export const NEST_THROTTLERS = '[{ ttl: 60_000, limit: 100 }]';

/** The edits installing @nestjs/throttler app-wide in the module `NestFactory.create(…)` boots, or undefined. */
export function nestThrottlerEdits(ctx: RuleContext, create: ts.CallExpression): FileEdit[] | undefined {
  const cls = rootModuleClass(ctx, create.arguments[0]);
  if (!cls) return undefined;
  const moduleCtx = contextFor(ctx, cls.getSourceFile());
  const metadata = moduleMetadata(moduleCtx, cls);
  if (!metadata) return undefined;
  const imports = arrayProperty(moduleCtx, metadata, 'imports');
  const providers = arrayProperty(moduleCtx, metadata, 'providers');
  if (imports === undefined || providers === undefined) return undefined;

  const throttler = namedImports(moduleCtx, '@nestjs/throttler', ['ThrottlerModule', 'ThrottlerGuard']);
  const core = namedImports(moduleCtx, '@nestjs/core', ['APP_GUARD']);
  if (!throttler || !core) return undefined;
  const [throttlerModule, throttlerGuard] = throttler.names;
  const importText = `${throttlerModule}.forRoot(${NEST_THROTTLERS})`;
  const providerText = `{ provide: ${core.names[0]}, useClass: ${throttlerGuard} }`;

  const edits: FileEdit[] = [...throttler.edits, ...core.edits];
  const sf = cls.getSourceFile();
  if (imports && providers) {
    edits.push(appendElement(sf, imports, importText), appendElement(sf, providers, providerText));
  } else if (imports) {
    edits.push(appendElement(sf, imports, importText), insertProperty(moduleCtx, metadata, `providers: [${providerText}]`));
  } else if (providers) {
    edits.push(insertProperty(moduleCtx, metadata, `imports: [${importText}]`), appendElement(sf, providers, providerText));
  } else {
    edits.push(bothProperties(moduleCtx, metadata, `imports: [${importText}]`, `providers: [${providerText}]`));
  }
  return inOrder(edits);
}

/** Insertions at one offset joined into one edit, so they land in the order they were made. */
function inOrder(edits: readonly FileEdit[]): FileEdit[] {
  const out: FileEdit[] = [];
  for (const e of edits) {
    const i = out.findIndex((o) => o.fileName === e.fileName && o.start === o.end && e.start === e.end && o.start === e.start);
    if (i === -1) out.push(e);
    else out[i] = { ...out[i], newText: out[i].newText + e.newText };
  }
  return out;
}

/** The class declaration an identifier argument names, followed through imports; only in the user's own source. */
function rootModuleClass(ctx: RuleContext, arg: ts.Expression | undefined): ts.ClassDeclaration | undefined {
  const { ts, checker } = ctx;
  const e = arg && skipOuter(ts, arg);
  if (!e || !ts.isIdentifier(e)) return undefined;
  let symbol = checker.getSymbolAtLocation(e);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.declarations?.find(ts.isClassDeclaration);
  const sf = decl?.getSourceFile();
  if (!decl || !sf || sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) return undefined;
  return decl;
}

/** The object literal of the class's `@Module({ … })` from @nestjs/common. */
function moduleMetadata(ctx: RuleContext, cls: ts.ClassDeclaration): ts.ObjectLiteralExpression | undefined {
  const { ts } = ctx;
  for (const decorator of ts.getDecorators(cls) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call)) continue;
    const origin = originOf(ctx, call.expression);
    if (origin?.module !== '@nestjs/common' || origin.members.length > 0 || origin.exportPath.join('.') !== 'Module') continue;
    const arg = call.arguments.length === 1 ? skipOuter(ts, call.arguments[0]) : undefined;
    return arg && ts.isObjectLiteralExpression(arg) ? arg : undefined;
  }
  return undefined;
}

/** The array literal of property `name`; null when the literal certainly lacks it; undefined when it is anything else. */
function arrayProperty(ctx: RuleContext, obj: ts.ObjectLiteralExpression, name: string): ts.ArrayLiteralExpression | null | undefined {
  const found = propertyOf(ctx, obj, name);
  if (!found) return undefined;
  if (!found.found) return null;
  return ctx.ts.isArrayLiteralExpression(found.value) ? found.value : undefined;
}

/**
 * Local names for the module's exports, reusing a named import of them and otherwise adding to
 * the file's named import of the module (or a new import after the last one). Undefined when a
 * name is taken by something else in the file.
 */
function namedImports(ctx: RuleContext, module: string, exports: readonly string[]): { names: string[]; edits: FileEdit[] } | undefined {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const declarations = sf.statements.filter(
    (s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === module && !!s.importClause && !s.importClause.isTypeOnly,
  );
  const lists = declarations.map((d) => d.importClause!.namedBindings).filter((b): b is ts.NamedImports => !!b && ts.isNamedImports(b));
  const names: string[] = [];
  const missing: string[] = [];
  for (const name of exports) {
    const existing = lists.flatMap((l) => [...l.elements]).find((e) => !e.isTypeOnly && (e.propertyName ?? e.name).text === name);
    if (existing) names.push(existing.name.text);
    else if (nameTaken(ctx, name)) return undefined;
    else {
      names.push(name);
      missing.push(name);
    }
  }
  if (missing.length === 0) return { names, edits: [] };
  const list = lists[0];
  if (list) return { names, edits: [appendElement(sf, list, missing.join(', '), list.elements)] };
  const last = sf.statements.filter(ts.isImportDeclaration).pop();
  const text = `import { ${missing.join(', ')} } from '${module}';`;
  const edit: FileEdit = last
    ? { fileName: sf.fileName, start: last.getEnd(), end: last.getEnd(), newText: `\n${text}` }
    : { fileName: sf.fileName, start: 0, end: 0, newText: `${text}\n` };
  return { names, edits: [edit] };
}

/**
 * `text` as the last element of a bracketed list (an array literal or named imports), in the
 * list's own layout: after the last element on one line, or on a new line indented like it.
 */
function appendElement(sf: ts.SourceFile, list: ts.Node, text: string, elements: ts.NodeArray<ts.Node> = (list as ts.ArrayLiteralExpression).elements): FileEdit {
  const fileName = sf.fileName;
  if (elements.length === 0) {
    const open = list.getStart(sf);
    const close = list.getEnd();
    const [l, r] = [sf.text[open], sf.text[close - 1]];
    return { fileName, start: open, end: close, newText: l === '{' ? `{ ${text} }` : `${l}${text}${r}` };
  }
  const last = elements[elements.length - 1];
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line;
  const multiline = lineOf(list.getStart(sf)) !== lineOf(last.getStart(sf));
  if (!multiline) return { fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${text}` };
  const lineStart = sf.getPositionOfLineAndCharacter(lineOf(last.getStart(sf)), 0);
  const indent = /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
  if (elements.hasTrailingComma) {
    // After the comma's line, so a comment trailing the last element stays with it.
    const comma = sf.text.indexOf(',', last.getEnd());
    const lineEnd = sf.text.indexOf('\n', comma);
    if (lineEnd !== -1 && lineOf(list.getEnd() - 1) > lineOf(comma)) return { fileName, start: lineEnd + 1, end: lineEnd + 1, newText: `${indent}${text},\n` };
    return { fileName, start: comma + 1, end: comma + 1, newText: `\n${indent}${text},` };
  }
  return { fileName, start: last.getEnd(), end: last.getEnd(), newText: `,\n${indent}${text}` };
}

/** Both properties at the end of the metadata literal, as one edit so their order is certain. */
function bothProperties(ctx: RuleContext, obj: ts.ObjectLiteralExpression, first: string, second: string): FileEdit {
  const sf = obj.getSourceFile();
  if (obj.properties.length === 0) return { fileName: sf.fileName, start: obj.getStart(sf), end: obj.getEnd(), newText: `{ ${first}, ${second} }` };
  const a = insertProperty(ctx, obj, first);
  const b = insertProperty(ctx, obj, second);
  return { ...a, newText: a.newText + b.newText };
}
