// Outgoing HTTP calls: which calls are requests to another service (global fetch,
// undici, node-fetch, axios, got, node:http/https), and how each client expresses
// the request's method, idempotency key, timeout and destination. Clients are
// recognised by what the call resolves to (see callee.ts), never by names.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from './callee';
import { isRequestObject } from './http';

export type HttpClient = 'fetch' | 'axios' | 'got' | 'node-http' | 'undici';

export interface OutboundCall {
  readonly call: ts.CallExpression;
  readonly client: HttpClient;
  /** How the code names the callee: `fetch`, `axios.get`, `this.http.post`. */
  readonly label: string;
  /** Upper-case method; the client's default when the code names none; undefined when not a literal. */
  readonly method: string | undefined;
  /** The argument or option holding the URL, when there is one. */
  readonly url: ts.Expression | undefined;
  /** Index of the options/config argument, present or not. */
  readonly optionsIndex: number;
  /** The options/config argument when the call passes one. */
  readonly options: ts.Expression | undefined;
  /** The axios instance or got client the call goes through (absent for functions). */
  readonly receiver: ts.Expression | undefined;
}

/** Where a client value comes from: the library's default export, or an instance made with a config. */
export type ClientSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'created'; readonly creation: ts.CallExpression; readonly holder: ts.Symbol | undefined }
  | { readonly kind: 'unknown' };

export type Presence = 'set' | 'missing' | 'unknown';
export type Destination = 'local' | 'external' | 'unknown';

const AXIOS_METHODS: Record<string, string | undefined> = {
  request: undefined,
  get: 'GET',
  delete: 'DELETE',
  head: 'HEAD',
  options: 'OPTIONS',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  postForm: 'POST',
  putForm: 'PUT',
  patchForm: 'PATCH',
  query: 'QUERY',
};
const GOT_METHODS = ['get', 'post', 'put', 'patch', 'head', 'delete'];
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1|0\.0\.0\.0)$/i;
const MAX_DEPTH = 6;

/** The outgoing HTTP request `call` makes, or undefined when it is not one (or it cannot tell). */
export function outboundCall(ctx: RuleContext, call: ts.CallExpression): OutboundCall | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const label = labelOf(ctx, callee);
  const target = resolveCall(ctx, call);
  const member = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;

  if (target && isFetchFunction(ctx, target)) return fetchLike(ctx, call, 'fetch', label);
  if (target?.module === 'undici' && (target.name === 'fetch' || target.name === 'request') && isFunctionImport(ctx, callee, target)) {
    return target.name === 'fetch' ? fetchLike(ctx, call, 'undici', label) : { ...fetchLike(ctx, call, 'undici', label), method: methodOption(ctx, call.arguments[1]) };
  }
  if (target && (target.module === 'http' || target.module === 'https') && (target.name === 'get' || target.name === 'request') && isFunctionImport(ctx, callee, target)) {
    return nodeHttp(ctx, call, label, target.name);
  }
  if (member && member in AXIOS_METHODS && target?.module === 'axios' && target.owner === 'Axios') return axiosMethod(ctx, call, label, member, receiver);
  if (member && GOT_METHODS.includes(member) && target?.module === 'got' && isClientValue(ctx, receiver, 'got')) return gotCall(ctx, call, label, member.toUpperCase(), receiver);
  if (!member || !target || target.via === 'imports') {
    // A client called directly: `axios(config)`, `api(url)`, `got(url)`, `client(url)`.
    if (isClientValue(ctx, callee, 'axios')) return axiosDirect(ctx, call, label, callee);
    if (isClientValue(ctx, callee, 'got')) return gotCall(ctx, call, label, 'GET', callee);
  }
  return undefined;
}

/** Global fetch (lib.dom / @types/node) or node-fetch's default export, by declaration. */
function isFetchFunction(ctx: RuleContext, target: NonNullable<ReturnType<typeof resolveCall>>): boolean {
  const decl = target.declaration;
  const declName = decl && ctx.ts.isFunctionDeclaration(decl) ? decl.name?.text : decl && ctx.ts.isVariableDeclaration(decl) && ctx.ts.isIdentifier(decl.name) ? decl.name.text : undefined;
  if (target.isGlobal) return declName === 'fetch';
  if (target.module !== 'node-fetch') return false;
  return target.via === 'imports' ? target.memberPath.length === 0 : declName === 'fetch';
}

/** `request` of undici or `get` of https, not a same-named member of something the package returns. */
function isFunctionImport(ctx: RuleContext, callee: ts.Expression, target: NonNullable<ReturnType<typeof resolveCall>>): boolean {
  if (target.owner) return false;
  const decl = target.declaration;
  if (decl) return ctx.ts.isFunctionDeclaration(decl) || ctx.ts.isVariableDeclaration(decl);
  const origin = originOf(ctx, callee);
  return !!origin && !origin.instance;
}

function labelOf(ctx: RuleContext, callee: ts.Expression): string {
  const text = callee.getText(ctx.sourceFile).replace(/\s+/g, '');
  if (text.length <= 40) return text;
  return ctx.ts.isPropertyAccessExpression(callee) ? callee.name.text : 'the call';
}

function fetchLike(ctx: RuleContext, call: ts.CallExpression, client: 'fetch' | 'undici', label: string): OutboundCall {
  return { call, client, label, method: methodOption(ctx, call.arguments[1]) ?? defaultIfAbsent(ctx, call.arguments[1]), url: call.arguments[0], optionsIndex: 1, options: call.arguments[1], receiver: undefined };
}

function nodeHttp(ctx: RuleContext, call: ts.CallExpression, label: string, fn: string): OutboundCall {
  const { ts } = ctx;
  const [first, second] = call.arguments;
  const firstIsOptions = !!first && ts.isObjectLiteralExpression(skipOuter(ts, first));
  const secondIsOptions = !!second && !firstIsOptions && ts.isObjectLiteralExpression(skipOuter(ts, second));
  const options = firstIsOptions ? first : secondIsOptions ? second : undefined;
  const method = fn === 'get' ? 'GET' : (methodOption(ctx, options) ?? defaultIfAbsent(ctx, options));
  return { call, client: 'node-http', label, method, url: firstIsOptions ? undefined : first, optionsIndex: firstIsOptions ? 0 : 1, options, receiver: undefined };
}

function axiosMethod(ctx: RuleContext, call: ts.CallExpression, label: string, member: string, receiver: ts.Expression): OutboundCall {
  const optionsIndex = member === 'request' ? 0 : AXIOS_METHODS[member] === 'POST' || AXIOS_METHODS[member] === 'PUT' || AXIOS_METHODS[member] === 'PATCH' ? 2 : 1;
  const options = call.arguments[optionsIndex];
  const method = AXIOS_METHODS[member] ?? methodOption(ctx, options) ?? defaultIfAbsent(ctx, options);
  const url = member === 'request' ? optionValue(ctx, options, 'url') : call.arguments[0];
  return { call, client: 'axios', label, method, url, optionsIndex, options, receiver };
}

function axiosDirect(ctx: RuleContext, call: ts.CallExpression, label: string, callee: ts.Expression): OutboundCall {
  const first = call.arguments[0];
  const configFirst = !!first && !isStringLike(ctx, first);
  const optionsIndex = configFirst ? 0 : 1;
  const options = call.arguments[optionsIndex];
  return { call, client: 'axios', label, method: methodOption(ctx, options) ?? defaultIfAbsent(ctx, options), url: configFirst ? optionValue(ctx, options, 'url') : first, optionsIndex, options, receiver: callee };
}

function gotCall(ctx: RuleContext, call: ts.CallExpression, label: string, aliasMethod: string, receiver: ts.Expression): OutboundCall {
  const first = call.arguments[0];
  const optionsFirst = !!first && !isStringLike(ctx, first);
  const optionsIndex = optionsFirst ? 0 : 1;
  const options = call.arguments[optionsIndex];
  const isAlias = ctx.ts.isPropertyAccessExpression(skipOuter(ctx.ts, call.expression));
  const method = isAlias ? aliasMethod : (methodOption(ctx, options) ?? defaultIfAbsent(ctx, options));
  return { call, client: 'got', label, method, url: optionsFirst ? optionValue(ctx, options, 'url') : first, optionsIndex, options, receiver };
}

function isStringLike(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isStringLiteralLike(x) || ts.isTemplateExpression(x) || ts.isNewExpression(x)) return true;
  if (ts.isObjectLiteralExpression(x)) return false;
  const type = ctx.checker.getTypeAtLocation(x);
  return !!(type.flags & ts.TypeFlags.StringLike) || type.getSymbol()?.name === 'URL';
}

function defaultIfAbsent(ctx: RuleContext, options: ts.Expression | undefined): string | undefined {
  if (!options) return 'GET';
  const o = skipOuter(ctx.ts, options);
  // A literal without `method` (and without spreads that could bring one) is a GET.
  return ctx.ts.isObjectLiteralExpression(o) && !o.properties.some((p) => ctx.ts.isSpreadAssignment(p)) ? 'GET' : undefined;
}

function methodOption(ctx: RuleContext, options: ts.Expression | undefined): string | undefined {
  const m = optionValue(ctx, options, 'method');
  return m && ctx.ts.isStringLiteralLike(skipOuter(ctx.ts, m)) ? (skipOuter(ctx.ts, m) as ts.StringLiteralLike).text.toUpperCase() : undefined;
}

/** The property `name` of an object-literal argument, as a property assignment or shorthand. */
export function optionProperty(ctx: RuleContext, options: ts.Expression | undefined, name: string): ts.ObjectLiteralElementLike | undefined {
  const { ts } = ctx;
  const o = options && skipOuter(ts, options);
  if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
  return o.properties.find((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && propertyName(ts, p.name) === name);
}

function optionValue(ctx: RuleContext, options: ts.Expression | undefined, name: string): ts.Expression | undefined {
  const p = optionProperty(ctx, options, name);
  if (!p) return undefined;
  if (ctx.ts.isPropertyAssignment(p)) return p.initializer;
  if (ctx.ts.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

function propertyName(ts: RuleContext['ts'], name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** True for GET, HEAD, OPTIONS, PUT, DELETE, or any request carrying an `Idempotency-Key` header. */
export function isIdempotent(ctx: RuleContext, out: OutboundCall): boolean {
  if (out.method && IDEMPOTENT.has(out.method)) return true;
  let headers = optionValue(ctx, out.options, 'headers');
  if (headers) headers = skipOuter(ctx.ts, headers);
  // new Headers({ ... })
  if (headers && ctx.ts.isNewExpression(headers) && headers.arguments?.[0]) headers = skipOuter(ctx.ts, headers.arguments[0]);
  if (!headers || !ctx.ts.isObjectLiteralExpression(headers)) return false;
  return headers.properties.some((p) => p.name !== undefined && propertyName(ctx.ts, p.name)?.toLowerCase() === 'idempotency-key');
}

// ---------------------------------------------------------------------------
// Timeouts

/** Whether the request is bounded in time: by its own options, its client's config or the project's defaults. */
export function timeoutOf(ctx: RuleContext, out: OutboundCall): Presence {
  const own = ownTimeout(ctx, out);
  if (own !== 'missing') return own;
  switch (out.client) {
    case 'fetch':
    case 'undici':
      // A global undici dispatcher may carry headers/body timeouts for every request.
      return projectDefaults(ctx).globalDispatcher ? 'unknown' : 'missing';
    case 'node-http':
      return requestTimeoutAfterCall(ctx, out.call);
    case 'axios':
    case 'got':
      return clientTimeout(ctx, out);
  }
}

const OWN_TIMEOUT_KEYS: Record<HttpClient, readonly string[]> = {
  fetch: ['signal', 'timeout'],
  undici: ['signal', 'headersTimeout', 'bodyTimeout'],
  axios: ['timeout', 'signal', 'cancelToken'],
  got: ['timeout', 'signal'],
  'node-http': ['timeout', 'signal'],
};
// Options that hand the request to something configured elsewhere (which may bound it).
const OPAQUE_KEYS: Record<HttpClient, readonly string[]> = {
  fetch: ['dispatcher', 'agent'],
  undici: ['dispatcher'],
  axios: ['httpAgent', 'httpsAgent', 'adapter'],
  got: ['agent'],
  'node-http': ['agent', 'createConnection'],
};

function ownTimeout(ctx: RuleContext, out: OutboundCall): Presence {
  const { ts } = ctx;
  // fetch(request): the Request object may carry a signal.
  if ((out.client === 'fetch' || out.client === 'undici') && out.url && !isStringLike(ctx, out.url)) return 'unknown';
  if (!out.options) return 'missing';
  const o = skipOuter(ts, out.options);
  if (!ts.isObjectLiteralExpression(o)) return 'unknown';
  if (o.properties.some((p) => ts.isSpreadAssignment(p))) return 'unknown';
  if (OPAQUE_KEYS[out.client].some((k) => optionProperty(ctx, o, k))) return 'unknown';
  for (const key of OWN_TIMEOUT_KEYS[out.client]) {
    const value = optionValue(ctx, o, key);
    // `timeout: 0` is axios's and node's spelling of "no timeout".
    if (value && !isZero(ts, value)) return 'set';
  }
  return 'missing';
}

function isZero(ts: RuleContext['ts'], e: ts.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isNumericLiteral(x) && Number(x.text) === 0;
}

/** `https.get(...).setTimeout(ms)` or `req.setTimeout(ms)` on the request it returns. */
function requestTimeoutAfterCall(ctx: RuleContext, call: ts.CallExpression): Presence {
  const uses = requestUses(ctx, call);
  if (!uses) return 'unknown';
  return uses.some((u) => u.member === 'setTimeout') ? 'set' : 'missing';
}

export interface RequestUse {
  readonly member: string;
  readonly call: ts.CallExpression;
}

/**
 * The method calls made on the ClientRequest that `call` returns (chained or
 * through a const), or undefined when it escapes somewhere we cannot follow.
 */
export function requestUses(ctx: RuleContext, call: ts.CallExpression): RequestUse[] | undefined {
  const { ts } = ctx;
  const out: RequestUse[] = [];
  let node: ts.Expression = call;
  // Chained calls: .on('x', f).setTimeout(ms).end()
  for (;;) {
    const parent = node.parent;
    if (ts.isParenthesizedExpression(parent)) {
      node = parent;
      continue;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      out.push({ member: parent.name.text, call: parent.parent });
      // Every ClientRequest method that returns `this` keeps the chain on the request.
      if (!['on', 'once', 'setTimeout', 'setHeader', 'setNoDelay', 'setSocketKeepAlive', 'prependListener'].includes(parent.name.text)) return endOfChain(ts, parent.parent) ? out : undefined;
      node = parent.parent;
      continue;
    }
    break;
  }
  const parent = node.parent;
  if (ts.isExpressionStatement(parent)) return out;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) {
    const symbol = ctx.checker.getSymbolAtLocation(parent.name);
    const scope = parent.parent.parent.parent;
    if (!symbol || !(parent.parent.flags & ts.NodeFlags.Const)) return undefined;
    let escaped = false;
    const visit = (n: ts.Node): void => {
      if (escaped) return;
      if (ts.isIdentifier(n) && n !== parent.name && n.text === parent.name.getText() && ctx.checker.getSymbolAtLocation(n) === symbol) {
        const access = n.parent;
        if (ts.isPropertyAccessExpression(access) && access.expression === n && ts.isCallExpression(access.parent) && access.parent.expression === access) {
          out.push({ member: access.name.text, call: access.parent });
        } else {
          escaped = true;
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(scope);
    return escaped ? undefined : out;
  }
  return undefined;
}

function endOfChain(ts: RuleContext['ts'], call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return ts.isExpressionStatement(n.parent);
}

function clientTimeout(ctx: RuleContext, out: OutboundCall): Presence {
  if (!out.receiver) return 'missing';
  const source = clientSource(ctx, out.receiver, out.client === 'axios' ? 'axios' : 'got');
  if (source.kind === 'unknown') return 'unknown';
  if (source.kind === 'default') return out.client === 'axios' && projectDefaults(ctx).axiosDefaultTimeout ? 'set' : 'missing';
  let sawMissing = false;
  for (const config of source.creation.arguments) {
    const c = skipOuter(ctx.ts, config);
    if (!ctx.ts.isObjectLiteralExpression(c) || c.properties.some((p) => ctx.ts.isSpreadAssignment(p))) return 'unknown';
    if (OPAQUE_KEYS[out.client].some((k) => optionProperty(ctx, c, k))) return 'unknown';
    const value = optionValue(ctx, c, 'timeout');
    if (value && !isZero(ctx.ts, value)) return 'set';
    sawMissing = true;
  }
  // An instance made from another instance inherits what we cannot see here.
  if (!isLibraryDefault(ctx, creationBase(ctx, source.creation), out.client === 'axios' ? 'axios' : 'got')) return 'unknown';
  if (source.holder && assignsDefaultsTimeout(ctx, ctx.sourceFile, source.holder)) return 'set';
  return sawMissing || source.creation.arguments.length === 0 ? 'missing' : 'unknown';
}

function creationBase(ctx: RuleContext, creation: ts.CallExpression): ts.Expression {
  const callee = skipOuter(ctx.ts, creation.expression);
  return ctx.ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
}

// ---------------------------------------------------------------------------
// Client values: the library default and the instances made from it

/** True when `expr` is an axios/got client (the default export or an instance made from it). */
export function isClientValue(ctx: RuleContext, expr: ts.Expression, pkg: 'axios' | 'got'): boolean {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(expr);
  if (type.getCallSignatures().length > 0) {
    const names = pkg === 'axios' ? ['AxiosStatic', 'AxiosInstance'] : ['Got'];
    for (const symbol of [type.aliasSymbol, type.getSymbol()]) {
      if (symbol && names.includes(symbol.name) && symbol.declarations?.some((d) => declaredIn(d, pkg))) return true;
    }
    // got's `Got` is an intersection; its alias survives only on the declared type.
    if (pkg === 'got' && type.isIntersection() && type.types.some((t) => t.aliasSymbol?.name === 'GotRequestFunction' && t.aliasSymbol.declarations?.some((d) => declaredIn(d, pkg)))) return true;
  }
  // Plain JS without the library's types: follow the value to its import.
  if (!ts.isIdentifier(skipOuter(ts, expr)) && !ts.isPropertyAccessExpression(skipOuter(ts, expr))) return false;
  const origin = originOf(ctx, expr);
  if (!origin || origin.module !== pkg || origin.members.length > 0) return false;
  const path = origin.exportPath.filter((p) => p !== 'default');
  return path.length === 0 || (path.length === 1 && (path[0] === 'create' || path[0] === 'extend') && origin.instance);
}

function declaredIn(decl: ts.Node, pkg: string): boolean {
  return decl.getSourceFile().fileName.includes(`/node_modules/${pkg}/`);
}

/** The default export itself (`axios`, `got`), however it was imported. */
function isLibraryDefault(ctx: RuleContext, expr: ts.Expression, pkg: 'axios' | 'got', depth = 0): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH) return false;
  const symbol = symbolOf(ctx, e);
  const decls = symbol?.declarations ?? [];
  // axios's CommonJS types merge `declare const axios` with `declare namespace axios`.
  if (decls.some((d) => declaredIn(d, pkg))) return decls.some((d) => ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.name.text === pkg);
  const decl = decls[0];
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(decl.name)) return isLibraryDefault(ctx, decl.initializer, pkg, depth + 1);
  const origin = originOf(ctx, e);
  return !!origin && origin.module === pkg && !origin.instance && origin.members.length === 0 && origin.exportPath.every((p) => p === 'default');
}

function symbolOf(ctx: RuleContext, e: ts.Expression): ts.Symbol | undefined {
  const node = ctx.ts.isPropertyAccessExpression(e) ? e.name : e;
  let symbol = ctx.checker.getSymbolAtLocation(node);
  if (symbol && symbol.flags & ctx.ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  return symbol;
}

/** Follows a client value back to the default export or the `create`/`extend` call that made it. */
export function clientSource(ctx: RuleContext, expr: ts.Expression, pkg: 'axios' | 'got', depth = 0): ClientSource {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH) return { kind: 'unknown' };
  if (isLibraryDefault(ctx, e, pkg)) return { kind: 'default' };
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(ts, e.expression);
    const factory = pkg === 'axios' ? 'create' : 'extend';
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === factory && isClientValue(ctx, callee.expression, pkg)) {
      return { kind: 'created', creation: e, holder: undefined };
    }
    return { kind: 'unknown' };
  }
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return { kind: 'unknown' };
  const symbol = symbolOf(ctx, e);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!symbol || !decl || decl.getSourceFile().isDeclarationFile) return { kind: 'unknown' };
  const init = initializerOf(ctx, decl);
  if (!init) return { kind: 'unknown' };
  const source = clientSource(ctx, init, pkg, depth + 1);
  return source.kind === 'created' ? { ...source, holder: symbol } : source;
}

/** `const x = …`, `private x = …`, or the single `this.x = …` of a class constructor. */
function initializerOf(ctx: RuleContext, decl: ts.Declaration): ts.Expression | undefined {
  const { ts } = ctx;
  if (ts.isVariableDeclaration(decl)) return decl.initializer && decl.parent.flags & ts.NodeFlags.Const ? decl.initializer : undefined;
  if (ts.isPropertyDeclaration(decl) || ts.isParameter(decl)) {
    if (ts.isPropertyDeclaration(decl) && decl.initializer) return decl.initializer;
    const cls = ts.isPropertyDeclaration(decl) ? decl.parent : undefined;
    const ctor = cls && ts.isClassDeclaration(cls) ? cls.members.find(ts.isConstructorDeclaration) : undefined;
    if (!ctor?.body || !decl.name || !ts.isIdentifier(decl.name)) return undefined;
    const name = decl.name.text;
    const assigned = ctor.body.statements.flatMap((s) => {
      if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression) || s.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return [];
      const left = s.expression.left;
      return ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name ? [s.expression.right] : [];
    });
    return assigned.length === 1 ? assigned[0] : undefined;
  }
  return undefined;
}

/** `x.defaults.timeout = …` or `x.defaults = { …timeout… }` for the client held by `holder`. */
function assignsDefaultsTimeout(ctx: RuleContext, sf: ts.SourceFile, holder: ts.Symbol | 'axios-default'): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left)) {
      const left = n.left;
      const base =
        left.name.text === 'timeout' && ts.isPropertyAccessExpression(left.expression) && left.expression.name.text === 'defaults' && !isZero(ts, n.right)
          ? left.expression.expression
          : left.name.text === 'defaults' && ts.isObjectLiteralExpression(skipOuter(ts, n.right)) && optionProperty(ctx, n.right, 'timeout')
            ? left.expression
            : undefined;
      if (base && (holder === 'axios-default' ? isLibraryDefault(ctx, base, 'axios') : symbolOf(ctx, skipOuter(ts, base)) === holder)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

interface ProjectDefaults {
  readonly axiosDefaultTimeout: boolean;
  readonly globalDispatcher: boolean;
}

const defaultsCache = new WeakMap<ts.Program, Map<string, ProjectDefaults>>();

/**
 * Settings that bound every request of a package's process: `axios.defaults.timeout`,
 * undici's `setGlobalDispatcher`. Looked for in the files of the same package only:
 * another package of a monorepo runs in another process.
 */
function projectDefaults(ctx: RuleContext): ProjectDefaults {
  const program = ctx.program;
  const pkg = ctx.project.packageJson(ctx.fileName);
  const scope = `${pkg ? pkg.path.slice(0, pkg.path.lastIndexOf('/')) : ctx.project.root}/`;
  let perScope = defaultsCache.get(program);
  if (!perScope) defaultsCache.set(program, (perScope = new Map()));
  let found = perScope.get(scope);
  if (found) return found;
  const { ts } = ctx;
  let axiosDefaultTimeout = false;
  let globalDispatcher = false;
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || !sf.fileName.startsWith(scope) || sf.fileName.includes('/node_modules/')) continue;
    // Cheap text gates before anything else.
    if (!sf.text.includes('defaults') && !sf.text.includes('setGlobalDispatcher')) continue;
    // A file of a nested package belongs to that package.
    if (ctx.project.packageJson(sf.fileName)?.path !== pkg?.path) continue;
    if (!axiosDefaultTimeout && sf.text.includes('defaults') && assignsDefaultsTimeout(ctx, sf, 'axios-default')) axiosDefaultTimeout = true;
    if (!globalDispatcher && sf.text.includes('setGlobalDispatcher')) {
      const visit = (n: ts.Node): void => {
        const target = ts.isCallExpression(n) ? resolveCall(ctx, n) : undefined;
        if (target?.module === 'undici' && target.name === 'setGlobalDispatcher') globalDispatcher = true;
        else ts.forEachChild(n, visit);
      };
      visit(sf);
    }
  }
  found = { axiosDefaultTimeout, globalDispatcher };
  perScope.set(scope, found);
  return found;
}

// ---------------------------------------------------------------------------
// Destination

/**
 * Where the request goes: 'local' for a relative URL (the page's own origin in a
 * browser) or a loopback host, 'external' for another host, 'unknown' when the URL
 * is computed from something we cannot read (configuration, a parameter).
 */
export function destinationOf(ctx: RuleContext, out: OutboundCall): Destination {
  if (out.client === 'node-http' && !out.url) {
    // http.request({ hostname, path }): no host means localhost.
    const o = out.options && skipOuter(ctx.ts, out.options);
    if (!o || !ctx.ts.isObjectLiteralExpression(o) || o.properties.some((p) => ctx.ts.isSpreadAssignment(p))) return 'unknown';
    const host = optionValue(ctx, o, 'hostname') ?? optionValue(ctx, o, 'host');
    if (!host) return 'local';
    const h = constantString(ctx, host);
    return h === undefined ? 'unknown' : LOOPBACK.test(h.replace(/:\d+$/, '')) ? 'local' : 'external';
  }
  const base = out.receiver && (out.client === 'axios' || out.client === 'got') ? baseUrlOf(ctx, out) : undefined;
  const url = out.url ? classifyUrl(ctx, out.url, 0) : 'unknown';
  if (url === 'local' && base) return base;
  return url;
}

/** The `baseURL`/`prefixUrl` of the instance a relative URL is resolved against. */
function baseUrlOf(ctx: RuleContext, out: OutboundCall): Destination | undefined {
  const source = clientSource(ctx, out.receiver!, out.client === 'axios' ? 'axios' : 'got');
  if (source.kind === 'unknown') return 'unknown';
  if (source.kind === 'default') return undefined;
  for (const config of source.creation.arguments) {
    const value = optionValue(ctx, config, out.client === 'axios' ? 'baseURL' : 'prefixUrl');
    if (value) return classifyUrl(ctx, value, 0);
  }
  return undefined;
}

function classifyUrl(ctx: RuleContext, expr: ts.Expression, depth: number): Destination {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH) return 'unknown';
  const text = constantString(ctx, e);
  if (text !== undefined) return classifyText(text);
  if (ts.isTemplateExpression(e)) {
    if (e.head.text) return classifyText(e.head.text, true);
    return classifyUrl(ctx, e.templateSpans[0].expression, depth + 1);
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return classifyUrl(ctx, e.left, depth + 1);
  if (ts.isNewExpression(e) && e.arguments && e.arguments.length > 0) {
    // new URL(path, base): the base decides the host.
    return classifyUrl(ctx, e.arguments[e.arguments.length > 1 ? 1 : 0], depth + 1);
  }
  if (isOwnOrigin(ctx, e)) return 'local';
  if (ts.isIdentifier(e)) {
    const decl = symbolOf(ctx, e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.parent.flags & ts.NodeFlags.Const) return classifyUrl(ctx, decl.initializer, depth + 1);
  }
  return 'unknown';
}

const OWN_ORIGIN_MEMBERS = ['url', 'originalUrl', 'nextUrl', 'origin', 'protocol', 'hostname', 'host'];

/** `req.url`, `request.nextUrl.origin`, `req.get('host')`: the address this server was called at. */
function isOwnOrigin(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  // req.get('host') / req.header('host')
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['get', 'header'].includes(e.expression.name.text)) {
    const arg = e.arguments[0];
    return !!arg && ts.isStringLiteralLike(arg) && arg.text.toLowerCase() === 'host' && isRequestObject(ctx, e.expression.expression);
  }
  let n: ts.Expression = e;
  let firstMember: string | undefined;
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
    if (ts.isPropertyAccessExpression(n)) firstMember = n.name.text;
    else firstMember = ts.isStringLiteralLike(n.argumentExpression) ? n.argumentExpression.text : undefined;
    const inner = skipOuter(ts, n.expression);
    if (isRequestObject(ctx, inner)) {
      // req.headers.host
      if (firstMember === 'headers') return n !== e && ts.isPropertyAccessExpression(e) && e.name.text === 'host';
      return !!firstMember && OWN_ORIGIN_MEMBERS.includes(firstMember);
    }
    n = inner;
  }
  return false;
}

/** A string the expression always has: a literal, or a const initialised with one. */
function constantString(ctx: RuleContext, expr: ts.Expression): string | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isIdentifier(e)) {
    const decl = symbolOf(ctx, e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.parent.flags & ts.NodeFlags.Const && ts.isStringLiteralLike(skipOuter(ts, decl.initializer))) {
      return (skipOuter(ts, decl.initializer) as ts.StringLiteralLike).text;
    }
  }
  return undefined;
}

function classifyText(text: string, prefixOnly = false): Destination {
  const m = /^(?:([a-z][a-z0-9+.-]*):)?\/\/([^/?#]*)/i.exec(text);
  if (m) {
    if (m[1] && !/^https?$/i.test(m[1])) return 'unknown';
    const host = m[2].replace(/^[^@]*@/, '').replace(/:\d*$/, '');
    // `http://${host}`: the host is not in the literal part.
    if (prefixOnly && m[0].length === text.length) return 'external';
    return LOOPBACK.test(host) ? 'local' : 'external';
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return 'unknown';
  // A path without scheme or host is relative to the page (or to an instance's base URL).
  return 'local';
}

/** The option that bounds one attempt, as the client spells it. */
export function timeoutOptionText(client: HttpClient, ms: string): string {
  switch (client) {
    case 'axios':
      return `timeout: ${ms}`;
    case 'got':
      return `timeout: { request: ${ms} }`;
    default:
      return `signal: AbortSignal.timeout(${ms})`;
  }
}
