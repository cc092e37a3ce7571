// Which logger a piece of code can reach, so fixes log the way the project already
// does: a pino/winston/bunyan/Nest logger in scope (a variable, an import, or a
// member of the enclosing class), recognised by where its `error` method is declared,
// not by its name; console when there is none.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, packageOfFile, skipOuter } from './callee';
import { enclosingHandler } from './http';

export type LoggerLibrary = 'pino' | 'winston' | 'bunyan' | 'nest' | 'console';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug';

export interface ProjectLogger {
  readonly library: LoggerLibrary;
  /** The expression the call is made on: `logger`, `this.logger`, `request.log`, `console`. */
  readonly expression: string;
  /**
   * An import the file must gain before `expression` resolves. Not produced yet: only
   * loggers already reachable from the node are offered, so a fix never adds an import.
   */
  readonly needsImport?: { readonly module: string; readonly named?: string; readonly isDefault?: boolean };
  /** The text of a call that logs `errorExpr` with `message` (no trailing semicolon), in the file's quote style. */
  callFor(level: LogLevel, errorExpr: string, message: string): string;
  /** The same call as a statement, ending with `;` unless the file leaves semicolons out. */
  statementFor(level: LogLevel, errorExpr: string, message: string): string;
}

/** How the file writes code, so inserted statements look like their neighbours. */
export interface FileStyle {
  readonly quote: "'" | '"';
  readonly semicolons: boolean;
}

const LIBRARY_OF_PACKAGE: Readonly<Record<string, Exclude<LoggerLibrary, 'console'>>> = {
  pino: 'pino',
  winston: 'winston',
  bunyan: 'bunyan',
  '@nestjs/common': 'nest',
};

/** The factories whose result is a logger, for plain JS where the checker has no types. */
const FACTORY_BY_MODULE: Readonly<Record<string, { library: Exclude<LoggerLibrary, 'console'>; exportPath: readonly string[][] }>> = {
  pino: { library: 'pino', exportPath: [[], ['default'], ['pino']] },
  winston: { library: 'winston', exportPath: [['createLogger'], ['default', 'createLogger']] },
  bunyan: { library: 'bunyan', exportPath: [['createLogger'], ['default', 'createLogger']] },
};

/** The logger a statement at `atNode` should log with. */
export function projectLogger(ctx: RuleContext, atNode: ts.Node): ProjectLogger {
  const found = findLogger(ctx, atNode);
  const style = fileStyle(ctx);
  return found ? makeLogger(found.library, found.expression, style) : makeLogger('console', 'console', style);
}

/** A logger of the given library called on `expression`. */
export function makeLogger(library: LoggerLibrary, expression: string, style: FileStyle = { quote: "'", semicolons: true }): ProjectLogger {
  const callFor = (level: LogLevel, errorExpr: string, message: string): string => {
    const msg = quote(message, style.quote);
    switch (library) {
      case 'pino':
      case 'bunyan':
        // Both serialise an Error with its stack under the `err` key (their standard serializer).
        return `${expression}.${level}({ ${errorExpr === 'err' ? 'err' : `err: ${errorExpr}`} }, ${msg})`;
      case 'winston':
        // An Error passed as the meta argument is merged with its message and stack;
        // wrapped in an object (`{ error }`) it serialises as `{}`.
        return `${expression}.${level === 'fatal' ? 'error' : level}(${msg}, ${errorExpr})`;
      case 'nest':
        // ConsoleLogger prints a non-string extra argument with util.inspect (stack included).
        return `${expression}.${level === 'info' ? 'log' : level}(${msg}, ${errorExpr})`;
      case 'console':
        return `${expression}.${level === 'fatal' ? 'error' : level}(${msg}, ${errorExpr})`;
    }
  };
  return {
    library,
    expression,
    callFor,
    statementFor: (level, errorExpr, message) => `${callFor(level, errorExpr, message)}${style.semicolons ? ';' : ''}`,
  };
}

const styles = new WeakMap<ts.SourceFile, FileStyle>();

/** The quote of the file's first import or require, and whether its statements end with `;` (the majority of the first few). */
export function fileStyle(ctx: RuleContext): FileStyle {
  const { ts } = ctx;
  const cached = styles.get(ctx.sourceFile);
  if (cached) return cached;
  let quoteChar: FileStyle['quote'] | undefined;
  let withSemicolon = 0;
  let without = 0;
  const text = ctx.sourceFile.text;
  const visit = (node: ts.Node): void => {
    if (withSemicolon + without >= 20 && quoteChar) return;
    if (!quoteChar && ts.isStringLiteral(node) && (ts.isImportDeclaration(node.parent) || ts.isCallExpression(node.parent))) {
      quoteChar = text[node.getStart(ctx.sourceFile)] === '"' ? '"' : "'";
    }
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node) || ts.isImportDeclaration(node) || ts.isThrowStatement(node)) {
      if (text[node.getEnd() - 1] === ';') withSemicolon++;
      else without++;
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  const style: FileStyle = { quote: quoteChar ?? "'", semicolons: withSemicolon >= without };
  styles.set(ctx.sourceFile, style);
  return style;
}

/** The logger library a value is an instance of, or undefined (console and unknown values included). */
export function loggerLibraryOf(ctx: RuleContext, expr: ts.Expression): Exclude<LoggerLibrary, 'console'> | undefined {
  const e = skipOuter(ctx.ts, expr);
  return libraryOfType(ctx, ctx.checker.getTypeAtLocation(e)) ?? libraryOfOrigin(ctx, e);
}

function libraryOfType(ctx: RuleContext, type: ts.Type): Exclude<LoggerLibrary, 'console'> | undefined {
  const { ts } = ctx;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  const error = ctx.checker.getPropertyOfType(ctx.checker.getApparentType(type), 'error');
  for (const decl of error?.declarations ?? []) {
    const pkg = packageOfFile(decl.getSourceFile().fileName);
    const library = pkg ? LIBRARY_OF_PACKAGE[pkg] : undefined;
    if (library) return library;
  }
  return undefined;
}

function libraryOfOrigin(ctx: RuleContext, expr: ts.Expression): Exclude<LoggerLibrary, 'console'> | undefined {
  const origin = originOf(ctx, expr);
  if (!origin?.instance || origin.members.length > 0) return undefined;
  const factory = FACTORY_BY_MODULE[origin.module];
  if (!factory) return undefined;
  const path = origin.exportPath.join('.');
  return factory.exportPath.some((p) => p.join('.') === path) ? factory.library : undefined;
}

interface Candidate {
  readonly library: Exclude<LoggerLibrary, 'console'>;
  readonly expression: string;
}

function findLogger(ctx: RuleContext, atNode: ts.Node): Candidate | undefined {
  const { ts } = ctx;
  const locals: { candidate: Candidate; pos: number }[] = [];
  const moduleLevel: { candidate: Candidate; pos: number }[] = [];
  const symbols = ctx.checker.getSymbolsInScope(atNode, ts.SymbolFlags.Variable | ts.SymbolFlags.Alias);
  for (const symbol of symbols) {
    const decl = symbol.declarations?.[0];
    if (!decl || decl.getSourceFile() !== ctx.sourceFile || !ts.isIdentifier(nameOf(ts, decl) ?? decl)) continue;
    // A parameter typed only by its context (a route callback's `req`) would make the checker
    // infer the whole registering call: too dear for a guess, and loggers are rarely passed so.
    if (isContextuallyTyped(ts, decl)) continue;
    const topLevel = isModuleLevel(ts, decl);
    // A binding declared further down the same function is still in its temporal dead zone.
    if (!topLevel && decl.getStart() > atNode.getStart()) continue;
    const library = libraryOfSymbol(ctx, symbol, decl);
    if (!library) continue;
    (topLevel ? moduleLevel : locals).push({ candidate: { library, expression: symbol.name }, pos: decl.getStart() });
  }
  // The nearest local first, then a logger the class holds, then the module's.
  locals.sort((a, b) => b.pos - a.pos);
  return locals[0]?.candidate ?? classMemberLogger(ctx, atNode) ?? requestLogger(ctx, atNode) ?? moduleLevel[0]?.candidate;
}

function nameOf(ts: RuleContext['ts'], decl: ts.Declaration): ts.Node | undefined {
  if (ts.isVariableDeclaration(decl) || ts.isParameter(decl) || ts.isBindingElement(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl) || ts.isImportEqualsDeclaration(decl)) return decl.name;
  if (ts.isImportClause(decl)) return decl.name;
  return undefined;
}

function isContextuallyTyped(ts: RuleContext['ts'], decl: ts.Node): boolean {
  let n: ts.Node = decl;
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
  return ts.isParameter(n) && !n.type && !n.initializer;
}

function isModuleLevel(ts: RuleContext['ts'], decl: ts.Node): boolean {
  for (let n = decl.parent; n; n = n.parent) {
    if (ts.isSourceFile(n)) return true;
    if (ts.isFunctionLike(n) || ts.isBlock(n) || ts.isClassLike(n)) return false;
  }
  return true;
}

function libraryOfSymbol(ctx: RuleContext, symbol: ts.Symbol, decl: ts.Declaration): Exclude<LoggerLibrary, 'console'> | undefined {
  const { ts } = ctx;
  if (symbol.flags & ts.SymbolFlags.Alias) {
    if (isTypeOnlyImport(ts, decl)) return undefined;
    const target = ctx.checker.getAliasedSymbol(symbol);
    // A module namespace (winston's has module-level `error` too), a class or a factory is not a configured logger.
    if (target.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule | ts.SymbolFlags.Class | ts.SymbolFlags.Function | ts.SymbolFlags.Type)) return undefined;
    if (!(target.flags & ts.SymbolFlags.Value)) return undefined;
    // The checker reads an import's type through the alias (`export default createLogger()` included).
    return libraryOfType(ctx, ctx.checker.getTypeOfSymbol(symbol));
  }
  if (!(symbol.flags & ts.SymbolFlags.Variable)) return undefined;
  const type = ctx.checker.getTypeOfSymbol(symbol);
  const byType = libraryOfType(ctx, type);
  if (byType) return byType;
  if (ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(decl.name)) return libraryOfOrigin(ctx, decl.initializer);
  return undefined;
}

function isTypeOnlyImport(ts: RuleContext['ts'], decl: ts.Declaration): boolean {
  if (ts.isImportSpecifier(decl)) return decl.isTypeOnly || decl.parent.parent.isTypeOnly;
  if (ts.isImportClause(decl)) return decl.isTypeOnly;
  if (ts.isNamespaceImport(decl)) return decl.parent.isTypeOnly;
  return false;
}

/** `this.logger` when the node is in an instance method of a class holding a logger. */
function classMemberLogger(ctx: RuleContext, atNode: ts.Node): Candidate | undefined {
  const { ts } = ctx;
  const cls = classOfThis(ts, atNode);
  if (!cls) return undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && !isStatic(ts, member)) {
      const library = libraryOfType(ctx, ctx.checker.getTypeAtLocation(member.name)) ?? (member.initializer && libraryOfOrigin(ctx, member.initializer));
      if (library) return { library, expression: `this.${member.name.text}` };
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const p of member.parameters) {
        if (!ts.isIdentifier(p.name) || !ts.getModifiers(p)?.some((m) => isParameterPropertyModifier(ts, m))) continue;
        const library = libraryOfType(ctx, ctx.checker.getTypeAtLocation(p.name));
        if (library) return { library, expression: `this.${p.name.text}` };
      }
    }
  }
  return undefined;
}

function isParameterPropertyModifier(ts: RuleContext['ts'], m: ts.ModifierLike): boolean {
  return [ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.ReadonlyKeyword].includes(m.kind);
}

function isStatic(ts: RuleContext['ts'], node: ts.Node): boolean {
  return !!ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
}

/** The class `this` refers to at the node: arrows keep it, other functions rebind it. */
function classOfThis(ts: RuleContext['ts'], node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isArrowFunction(n)) continue;
    if (ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n)) {
      return !isStatic(ts, n) && ts.isClassLike(n.parent) ? n.parent : undefined;
    }
    if (ts.isPropertyDeclaration(n)) return !isStatic(ts, n) && ts.isClassLike(n.parent) ? n.parent : undefined;
    if (ts.isFunctionLike(n) || ts.isClassLike(n) || ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}

/** `request.log` in a Fastify route handler: the request's child of the app's pino(-compatible) logger. */
function requestLogger(ctx: RuleContext, atNode: ts.Node): Candidate | undefined {
  const { ts } = ctx;
  for (let n: ts.Node | undefined = atNode.parent; n; n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    const handler = enclosingHandler(ctx, n);
    if (handler?.fn === n && handler.framework === 'fastify' && handler.request && ts.isIdentifier(handler.request.name)) {
      return { library: 'pino', expression: `${handler.request.name.text}.log` };
    }
  }
  return undefined;
}

function quote(text: string, q: FileStyle['quote']): string {
  return `${q}${text.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`).replace(/\r?\n/g, ' ')}${q}`;
}
