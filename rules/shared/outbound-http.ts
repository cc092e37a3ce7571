// Outgoing HTTP calls: which calls are requests to another service (global fetch,
// undici, node-fetch, axios, got, node:http/https), and how each client expresses
// the request's method, idempotency key and timeout. Clients are recognised by what
// the call resolves to (see callee.ts), never by names.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from './callee';
import { clientSource, isClientValue, isLibraryDefault, projectDefaults, assignsDefaultsTimeout } from './outbound-http/clients';
import { isZero, optionProperty, optionValue, propertyName } from './outbound-http/options';

export { clientSource, isClientValue, symbolOf, type ClientSource } from './outbound-http/clients';
export { optionProperty, optionValue } from './outbound-http/options';

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

export type Presence = 'set' | 'missing' | 'unknown';

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
    return fetchLike(ctx, call, 'undici', label);
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
