// "Use the project's logger": `console.error('save failed', err)` becomes
// `logger.error({ err }, 'save failed')` (pino/bunyan take the object first) or
// `logger.error('save failed', err)` (winston takes the message first), importing the
// shared logger once when the file cannot reach it yet. Offered only for argument
// shapes whose meaning survives the translation.
import type { ts } from 'ts-morph';
import type { Fix, FileEdit, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { fileStyle, projectLogger } from '../../shared/logger';
import type { LoggerModule } from './logger-module';

const LEVEL_OF: Readonly<Record<string, string>> = { log: 'info', info: 'info', warn: 'warn', error: 'error', debug: 'debug' };

export function consoleFix(ctx: RuleContext, call: ts.CallExpression, method: string, shared: LoggerModule): Fix | undefined {
  const { ts } = ctx;
  const level = LEVEL_OF[method];
  const inScope = projectLogger(ctx, call);
  const usable = inScope.library === shared.library;
  const localName = shared.exportName === 'default' ? 'logger' : shared.exportName;
  if (!usable && nameTaken(ctx, call, localName)) return undefined;
  const expression = usable ? inScope.expression : localName;
  const args = argumentsFor(ctx, call, shared.library);
  if (!args) return undefined;
  const edits: FileEdit[] = [{ fileName: ctx.fileName, start: call.getStart(ctx.sourceFile), end: call.getEnd(), newText: `${expression}.${level}(${args})` }];
  if (!usable) edits.push(importEdit(ctx, shared, localName));
  return { title: `Log with the project's \`${expression}.${level}\``, isPreferred: true, safe: true, edits };
  function nameTaken(c: RuleContext, at: ts.Node, name: string): boolean {
    return c.checker.getSymbolsInScope(at, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).some((s) => s.name === name);
  }
}

/** The arguments in the logger's order, or undefined when the shape has no faithful translation. */
function argumentsFor(ctx: RuleContext, call: ts.CallExpression, library: LoggerModule['library']): string | undefined {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const args = call.arguments;
  if (args.length === 1 && !ts.isSpreadElement(args[0])) return args[0].getText(sf);
  if (args.length !== 2 || !isStringy(ctx, args[0])) return undefined;
  const [message, extra] = args;
  if (library === 'winston') return isObjectValue(ctx, extra) ? `${message.getText(sf)}, ${extra.getText(sf)}` : undefined;
  const x = skipOuter(ts, extra);
  const key = isErrorValue(ctx, x) ? 'err' : ts.isIdentifier(x) ? x.text : ts.isPropertyAccessExpression(x) ? x.name.text : undefined;
  if (!key) return undefined;
  const field = ts.isIdentifier(x) && x.text === key ? key : `${key}: ${x.getText(sf)}`;
  return `{ ${field} }, ${message.getText(sf)}`;
}

function isStringy(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isStringLiteralLike(e) || ts.isTemplateExpression(e)) return true;
  return !!(ctx.checker.getTypeAtLocation(e).flags & ts.TypeFlags.StringLike);
}

function isObjectValue(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(e);
  return !!(type.flags & ts.TypeFlags.Object) || isErrorValue(ctx, e);
}

/** An Error, or a catch binding / rejection reason (typed unknown or any). */
function isErrorValue(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(e);
  if (ctx.checker.getPropertyOfType(type, 'stack') && ctx.checker.getPropertyOfType(type, 'message')) return true;
  if (!ts.isIdentifier(e)) return false;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  return !!decl && ts.isVariableDeclaration(decl) && ts.isCatchClause(decl.parent);
}

/** `import { logger } from './lib/logger.js'` after the last import (or a require in CommonJS). */
function importEdit(ctx: RuleContext, shared: LoggerModule, localName: string): FileEdit {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const { quote, semicolons } = fileStyle(ctx);
  const semi = semicolons ? ';' : '';
  let spec = relativeSpecifier(ctx.fileName, shared.sourceFile.fileName);
  if (shared.withJsExtension) spec = spec.replace(/\.[cm]?tsx?$/, '.js');
  else spec = spec.replace(/\.[cm]?[jt]sx?$/, '');
  const imports = sf.statements.filter((s) => ts.isImportDeclaration(s));
  const requires = sf.statements.filter((s) => ts.isVariableStatement(s) && s.declarationList.declarations.every((d) => !!d.initializer && isRequireCall(ts, d.initializer)));
  const commonJs = imports.length === 0 && requires.length > 0;
  const binding = shared.exportName === 'default' ? (commonJs ? `${localName}` : localName) : `{ ${localName} }`;
  const text = commonJs ? `const ${binding} = require(${quote}${spec}${quote})${semi}` : `import ${binding} from ${quote}${spec}${quote}${semi}`;
  const last = (commonJs ? requires : imports).at(-1);
  const at = last ? last.getEnd() : 0;
  return { fileName: ctx.fileName, start: at, end: at, newText: last ? `\n${text}` : `${text}\n` };
}

function relativeSpecifier(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  const up = a.length - i;
  const rest = b.slice(i).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

function isRequireCall(ts: RuleContext['ts'], e: ts.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'require';
}
