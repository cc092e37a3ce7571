// What a library call does to the data passed to it: carries it on unchanged (string
// and array methods, `String(x)`, `Buffer.from`), transforms it in a way some sinks
// count as sanitising (escapers, encoders, path.basename, schema parsing), or neither
// (any other library call: its result is the library's, not the caller's data).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { isLibFile, originOf, resolveCall, skipOuter } from '../shared/callee';
import { validatingCall } from '../shared/validation-libs';
import type { TransformKind } from './types';

export interface CallEffect {
  /** The expressions whose data the result carries. */
  readonly carried: readonly ts.Expression[];
  readonly transform?: TransformKind;
}

/** Methods of strings and arrays whose result carries the receiver's data (and, for some, an argument's). */
const STRING_METHODS = new Set([
  'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'toString', 'valueOf',
  'normalize', 'padStart', 'padEnd', 'slice', 'substring', 'substr', 'replace', 'replaceAll', 'split', 'concat', 'repeat', 'at', 'charAt',
]);
/** Reads of web platform containers (URLSearchParams, FormData, Headers, Map) holding the data. */
const CONTAINER_METHODS = new Set(['get', 'getAll']);
const ARRAY_METHODS = new Set(['join', 'slice', 'subarray', 'concat', 'flat', 'reverse', 'sort', 'toSorted', 'toReversed', 'filter', 'find', 'findLast', 'at', 'pop', 'shift', 'values', 'map', 'flatMap']);
/** Methods whose arguments also end up in the result. */
const ARGUMENT_CARRIERS = new Set(['concat', 'replace', 'replaceAll', 'padStart', 'padEnd']);

/** Package → export → effect on its first argument (or all, for path joins). */
const LIBRARY_TRANSFORMS: Readonly<Record<string, Readonly<Record<string, TransformKind>>>> = {
  'escape-html': { default: 'html-escape', escapeHtml: 'html-escape' },
  lodash: { escape: 'html-escape', escapeRegExp: 'regex-escape', cloneDeep: 'object-copy', clone: 'object-copy' },
  'lodash.escape': { default: 'html-escape' },
  he: { encode: 'html-escape', escape: 'html-escape' },
  validator: { escape: 'html-escape' },
  xss: { default: 'html-sanitize', filterXSS: 'html-sanitize' },
  dompurify: { sanitize: 'html-sanitize' },
  'isomorphic-dompurify': { sanitize: 'html-sanitize' },
  'sanitize-html': { default: 'html-sanitize' },
  querystring: { escape: 'url-encode', stringify: 'url-encode' },
  'shell-quote': { quote: 'shell-quote' },
  'shell-escape': { default: 'shell-quote' },
  'escape-string-regexp': { default: 'regex-escape' },
  path: { basename: 'basename', resolve: 'path-normalize', normalize: 'path-normalize', join: 'path-normalize', relative: 'path-normalize', extname: 'basename' },
  url: { parse: 'url-parse', format: 'url-parse' },
  'content-disposition': { default: 'header-encode', create: 'header-encode' },
  cookie: { serialize: 'header-encode' },
  'mongo-sanitize': { default: 'nosql-sanitize' },
  'express-mongo-sanitize': { sanitize: 'nosql-sanitize' },
  mongoose: { sanitizeFilter: 'nosql-sanitize' },
};
const GLOBAL_TRANSFORMS: Readonly<Record<string, TransformKind>> = {
  encodeURIComponent: 'url-encode',
  // encodeURI and escape keep `/`, `:` and `?`: encoded for a whole URL, not for a part of one.
  encodeURI: 'uri-encode',
  escape: 'uri-encode',
  structuredClone: 'object-copy',
};
/** Globals that carry their argument unchanged (decoding undoes an encoding: still the caller's data). */
const GLOBAL_CARRIERS = new Set(['String', 'decodeURIComponent', 'decodeURI', 'unescape', 'atob', 'btoa']);

function isLibDeclared(ctx: RuleContext, node: ts.Node): boolean {
  const symbol = ctx.checker.getSymbolAtLocation(node);
  const decls = symbol?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => isLibFile(d.getSourceFile().fileName) || d.getSourceFile().fileName.includes('/@types/node/'));
}

/** What a library or built-in call does with the data passed to it; undefined when its result is not the caller's data. */
export function callEffect(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): CallEffect | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (ts.isNewExpression(call)) {
    if (ts.isIdentifier(callee) && (callee.text === 'URL' || callee.text === 'URLSearchParams') && isLibDeclared(ctx, callee)) return args[0] ? { carried: [args[0]], transform: 'url-parse' } : undefined;
    if (ts.isIdentifier(callee) && callee.text === 'String' && isLibDeclared(ctx, callee)) return { carried: args.slice(0, 1) };
    return undefined;
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    const receiver = skipOuter(ts, callee.expression);
    if (ts.isIdentifier(receiver) && receiver.text === 'JSON' && isLibDeclared(ctx, receiver)) {
      if (name === 'stringify') return { carried: args.slice(0, 1), transform: 'json' };
      if (name === 'parse') return { carried: args.slice(0, 1), transform: 'json-parse' };
    }
    if (ts.isIdentifier(receiver) && receiver.text === 'Buffer' && name === 'from') return { carried: args.slice(0, 1) };
    if (ts.isIdentifier(receiver) && receiver.text === 'Object' && isLibDeclared(ctx, receiver)) {
      if (name === 'assign') return { carried: args.slice(1), transform: 'object-copy' };
      if (name === 'values' || name === 'entries' || name === 'keys' || name === 'fromEntries') return { carried: args.slice(0, 1) };
    }
    if (ts.isIdentifier(receiver) && receiver.text === 'Array' && name === 'from') return { carried: args.slice(0, 1) };
    if ((STRING_METHODS.has(name) || ARRAY_METHODS.has(name) || CONTAINER_METHODS.has(name)) && isBuiltinMethod(ctx, callee)) {
      const replacing = name === 'replace' || name === 'replaceAll';
      const extra = ARGUMENT_CARRIERS.has(name) ? (replacing ? args.slice(1, 2) : args) : [];
      return { carried: [receiver, ...extra], transform: replacing ? 'replace' : undefined };
    }
  } else if (ts.isIdentifier(callee) && isLibDeclared(ctx, callee)) {
    if (GLOBAL_CARRIERS.has(callee.text)) return { carried: args.slice(0, 1) };
    const kind = GLOBAL_TRANSFORMS[callee.text];
    if (kind) return { carried: args.slice(0, 1), transform: kind };
  }
  return libraryEffect(ctx, call, args);
}

/** A string/array method of the standard library, or one on a value of unknown type (plain JS). */
function isBuiltinMethod(ctx: RuleContext, callee: ts.PropertyAccessExpression): boolean {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(callee.name);
  if (!symbol) return !!(ctx.checker.getTypeAtLocation(callee.expression).flags & ts.TypeFlags.Any);
  // Node's Buffer (toString, slice, subarray) is declared in @types/node, not in a lib file; `path.join` is not a method of data.
  return (symbol.declarations ?? []).some((d) => isLibFile(d.getSourceFile().fileName) || isBufferMember(ctx, d));
}

function isBufferMember(ctx: RuleContext, d: ts.Declaration): boolean {
  const { ts } = ctx;
  const owner = d.parent;
  return d.getSourceFile().fileName.includes('/@types/node/') && (ts.isInterfaceDeclaration(owner) || ts.isClassDeclaration(owner)) && owner.name?.text === 'Buffer';
}

function libraryEffect(ctx: RuleContext, call: ts.CallExpression, args: readonly ts.Expression[]): CallEffect | undefined {
  const { ts } = ctx;
  const v = validatingCall(ctx, call);
  if (v?.subject) return { carried: [v.subject], transform: 'schema' };
  const target = resolveCall(ctx, call);
  const table = target?.module ? LIBRARY_TRANSFORMS[target.module] : undefined;
  if (!target || !table) return undefined;
  let kind = table[target.name];
  const callee = skipOuter(ts, call.expression);
  if (!kind && ts.isIdentifier(callee)) {
    // `import esc from 'escape-html'; esc(x)`: the local name is the caller's choice.
    const origin = originOf(ctx, callee);
    if (origin && origin.members.length === 0 && (origin.exportPath.length === 0 || origin.exportPath[0] === 'default')) kind = table.default;
  }
  if (!kind) return undefined;
  // path.join/resolve: every segment lands in the result.
  return { carried: kind === 'path-normalize' ? args : args.slice(0, 1), transform: kind };
}
