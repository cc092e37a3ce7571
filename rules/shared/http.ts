// Where HTTP requests enter the code: route handlers of Express, Fastify, Nest and
// Next, their request parameter, and reads of request data (body, query, params,
// headers, cookies). Shared by every rule that asks "is this reachable from a
// request?" — found through what the registering call resolves to, not names.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from './callee';

export type Framework = 'express' | 'fastify' | 'nest' | 'next';

export type RequestPart = 'body' | 'query' | 'params' | 'headers' | 'cookies' | 'files';

export interface RouteHandler {
  readonly framework: Framework;
  /** The function that handles the request (its body is where the request is used). */
  readonly fn: ts.FunctionLikeDeclaration;
  /** 'get', 'post', … ('use' for middleware); undefined when not known. */
  readonly method?: string;
  readonly path?: string;
  /** The registering call or decorator. */
  readonly registration: ts.Node;
  readonly request?: ts.ParameterDeclaration;
  readonly response?: ts.ParameterDeclaration;
  readonly next?: ts.ParameterDeclaration;
  /** Express/Fastify: what the same registration runs before this function (middleware, arrays flattened). */
  readonly middleware?: readonly ts.Expression[];
  /** Fastify: the route options object (`schema`, `preValidation`, …) of the registration. */
  readonly routeOptions?: ts.ObjectLiteralExpression;
  /** False for a function that a later function of the same registration follows (a middleware, not the endpoint). */
  readonly terminal?: boolean;
}

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head'] as const;
const EXPRESS_MODULES = ['express', 'express-serve-static-core'];
const NEST_METHOD_DECORATORS: Record<string, string> = { Get: 'get', Post: 'post', Put: 'put', Patch: 'patch', Delete: 'delete', All: 'all', Options: 'options', Head: 'head' };

// Per program: a handler's function may live in another file, whose nodes a new program replaces.
const cache = new WeakMap<ts.Program, WeakMap<ts.SourceFile, RouteHandler[]>>();

/** Every route handler defined or registered in the file under analysis. */
export function findRouteHandlers(ctx: RuleContext): readonly RouteHandler[] {
  let byFile = cache.get(ctx.program);
  if (!byFile) cache.set(ctx.program, (byFile = new WeakMap()));
  let found = byFile.get(ctx.sourceFile);
  if (!found) {
    found = [...expressAndFastifyHandlers(ctx, ctx.sourceFile), ...nestHandlers(ctx), ...nextHandlers(ctx)];
    byFile.set(ctx.sourceFile, found);
  }
  return found;
}

/**
 * The registrations, anywhere in the program, of a function declared in the file
 * under analysis: a controller written in one file and routed in another
 * (`router.post('/users', users.create)`). Found through a per-program index of the
 * names route registrations mention, then confirmed through the checker.
 */
export function registrationsOf(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): RouteHandler[] {
  const name = declaredName(ctx.ts, fn);
  const calls = name ? registrationIndex(ctx).get(name) : undefined;
  if (!calls) return [];
  const out: RouteHandler[] = [];
  for (const call of calls) {
    const method = (call.expression as ts.PropertyAccessExpression).name.text;
    const framework = frameworkOfRegistration(ctx, call);
    if (framework) out.push(...handlersOfRegistration(ctx, call, framework, method).filter((h) => h.fn === fn));
  }
  return out;
}

/** The name a function is referred to by: its own, or that of the variable, property or method holding it. */
function declaredName(ts: RuleContext['ts'], fn: ts.FunctionLikeDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const p = fn.parent;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isBinaryExpression(p) && p.right === fn && ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
  if (ts.isFunctionExpression(fn) && fn.name) return fn.name.text;
  return undefined;
}

const indexCache = new WeakMap<ts.Program, Map<string, ts.CallExpression[]>>();

/** Name → the registration calls (`x.get/post/…/route(…)`) of the project that mention it. Syntactic. */
function registrationIndex(ctx: RuleContext): Map<string, ts.CallExpression[]> {
  const { ts } = ctx;
  let index = indexCache.get(ctx.program);
  if (index) return index;
  const built = new Map<string, ts.CallExpression[]>();
  const add = (name: string, call: ts.CallExpression) => {
    const list = built.get(name);
    if (!list) built.set(name, [call]);
    else if (!list.includes(call)) list.push(call);
  };
  const names = (e: ts.Expression, call: ts.CallExpression, depth: number): void => {
    const x = skipOuter(ts, e);
    if (ts.isIdentifier(x)) add(x.text, call);
    else if (ts.isPropertyAccessExpression(x)) add(x.name.text, call);
    else if (ts.isArrayLiteralExpression(x)) x.elements.forEach((el) => names(el, call, depth));
    else if (ts.isObjectLiteralExpression(x)) {
      for (const p of x.properties) if (ts.isPropertyAssignment(p) && p.name.getText() === 'handler') names(p.initializer, call, depth);
    } else if (ts.isCallExpression(x) && depth < 2) {
      if (ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'bind') names(x.expression.expression, call, depth + 1);
      else if (x.arguments.length) names(x.arguments[x.arguments.length - 1], call, depth + 1);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if ((HTTP_METHODS as readonly string[]).includes(method) || method === 'route') for (const a of node.arguments) names(a, node, 0);
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of ctx.program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) continue;
    visit(sf);
  }
  index = built;
  indexCache.set(ctx.program, index);
  return index;
}

/** The handler whose body contains `node`, if any. */
export function enclosingHandler(ctx: RuleContext, node: ts.Node): RouteHandler | undefined {
  const handlers = findRouteHandlers(ctx);
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    const h = handlers.find((x) => x.fn === n);
    if (h) return h;
  }
  return undefined;
}

/** The function an argument of a registration denotes: inline, by name, `x.bind(x)` or inside a wrapper call. */
export function functionOf(ctx: RuleContext, arg: ts.Expression, depth = 0): ts.FunctionLikeDeclaration | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, arg);
  if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return e;
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    // `createUser`, `users.create` (a controller object, class instance or namespace import).
    let symbol = ctx.checker.getSymbolAtLocation(ts.isIdentifier(e) ? e : e.name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
    const decl = symbol?.declarations?.[0];
    if (decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.body) return decl;
    if (decl && (ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
      const init = skipOuter(ts, decl.initializer);
      if (ts.isFunctionExpression(init) || ts.isArrowFunction(init)) return init;
    }
    // CommonJS: `exports.create = async (req, res) => …`
    if (decl && ts.isPropertyAccessExpression(decl) && ts.isBinaryExpression(decl.parent) && decl.parent.left === decl && decl.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const init = skipOuter(ts, decl.parent.right);
      if (ts.isFunctionExpression(init) || ts.isArrowFunction(init)) return init;
    }
    return undefined;
  }
  if (ts.isCallExpression(e) && depth < 2) {
    // `controller.create.bind(controller)`
    if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') return functionOf(ctx, e.expression.expression, depth + 1);
    // A wrapper around the handler: `asyncHandler(async (req, res) => …)`, `catchAsync(createUser)`.
    const last = e.arguments[e.arguments.length - 1];
    if (last && e.arguments.length <= 2) return functionOf(ctx, last, depth + 1);
  }
  return undefined;
}

function frameworkOfRegistration(ctx: RuleContext, call: ts.CallExpression): Framework | undefined {
  // Where the receiver came from (`const app = express()`) is cheap to follow and, when it
  // leads to a package, decisive; only receivers of unknown origin (parameters typed
  // `Express`, `FastifyInstance`) need the checker, which is slow on these types when cold.
  if (ctx.ts.isPropertyAccessExpression(call.expression)) {
    const origin = originOf(ctx, call.expression.expression);
    if (origin && !origin.module.startsWith('.')) return frameworkOfModule(origin.module);
  }
  const target = resolveCall(ctx, call);
  if (target?.module && EXPRESS_MODULES.includes(target.module)) return 'express';
  if (target?.module === 'fastify') return 'fastify';
  if (target) return undefined;
  // No declaration found (plain JS): ask where the receiver came from.
  if (!ctx.ts.isPropertyAccessExpression(call.expression)) return undefined;
  const origin = originOf(ctx, call.expression.expression);
  if (origin?.module === 'express') return 'express';
  if (origin?.module === 'fastify') return 'fastify';
  return undefined;
}

function frameworkOfModule(module: string): Framework | undefined {
  if (EXPRESS_MODULES.includes(module)) return 'express';
  return module === 'fastify' ? 'fastify' : undefined;
}

function expressAndFastifyHandlers(ctx: RuleContext, root: ts.Node): RouteHandler[] {
  const { ts } = ctx;
  const out: RouteHandler[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if ((HTTP_METHODS as readonly string[]).includes(method) || method === 'use' || method === 'route') {
        const framework = frameworkOfRegistration(ctx, node);
        if (framework) out.push(...handlersOfRegistration(ctx, node, framework, method));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return out;
}

function handlersOfRegistration(ctx: RuleContext, call: ts.CallExpression, framework: Framework, method: string): RouteHandler[] {
  const { ts } = ctx;
  const args = call.arguments;
  const prop = (opts: ts.ObjectLiteralExpression, name: string) => opts.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === name);
  // fastify.route({ method, url, handler })
  if (method === 'route') {
    const opts = args[0] && skipOuter(ts, args[0]);
    if (framework !== 'fastify' || !opts || !ts.isObjectLiteralExpression(opts)) return [];
    const handler = prop(opts, 'handler');
    const fn = handler && functionOf(ctx, handler.initializer);
    if (!fn) return [];
    const m = prop(opts, 'method')?.initializer;
    const url = prop(opts, 'url')?.initializer;
    return [makeHandler(ctx, framework, fn, call, m && ts.isStringLiteral(m) ? m.text.toLowerCase() : undefined, url && ts.isStringLiteral(url) ? url.text : undefined, { middleware: [], routeOptions: opts, terminal: true })];
  }
  const path = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : routePathOfReceiver(ctx, call);
  const out: RouteHandler[] = [];
  // Everything but the path, arrays flattened: `app.post('/x', [auth, validate], handler)`.
  const flat: ts.Expression[] = [];
  for (const arg of args) {
    const e = skipOuter(ts, arg);
    if (ts.isArrayLiteralExpression(e)) flat.push(...e.elements.filter((x) => !ts.isSpreadElement(x)));
    else if (!ts.isStringLiteralLike(e)) flat.push(arg);
  }
  const fns = flat.map((arg) => functionOf(ctx, arg));
  let lastFn = -1;
  fns.forEach((fn, i) => (lastFn = fn ? i : lastFn));
  const options = framework === 'fastify' ? flat.map((a) => skipOuter(ts, a)).find(ts.isObjectLiteralExpression) : undefined;
  flat.forEach((arg, i) => {
    const fn = fns[i];
    if (fn) out.push(makeHandler(ctx, framework, fn, call, method, path, { middleware: flat.slice(0, i), routeOptions: options, terminal: i === lastFn }));
  });
  // fastify.post('/x', { schema, handler })
  const handlerProp = options && prop(options, 'handler');
  const optionsFn = handlerProp && functionOf(ctx, handlerProp.initializer);
  if (optionsFn && !out.length) out.push(makeHandler(ctx, framework, optionsFn, call, method, path, { middleware: [], routeOptions: options, terminal: true }));
  return out;
}

/** `router.route('/users').post(handler)`: the path given to `.route()`. */
function routePathOfReceiver(ctx: RuleContext, call: ts.CallExpression): string | undefined {
  const { ts } = ctx;
  if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
  let receiver = skipOuter(ts, call.expression.expression);
  // .route('/x').get(a).post(b): walk back over the chained method calls.
  while (ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression)) {
    const first = receiver.arguments[0];
    if (receiver.expression.name.text === 'route') return first && ts.isStringLiteralLike(first) ? first.text : undefined;
    receiver = skipOuter(ts, receiver.expression.expression);
  }
  return undefined;
}

type RegistrationFacts = Pick<RouteHandler, 'middleware' | 'routeOptions' | 'terminal'>;

function makeHandler(ctx: RuleContext, framework: Framework, fn: ts.FunctionLikeDeclaration, registration: ts.Node, method?: string, path?: string, facts: RegistrationFacts = {}): RouteHandler {
  const [request, response, next] = fn.parameters;
  // Express error middleware is (err, req, res, next).
  if (framework === 'express' && fn.parameters.length === 4) {
    return { framework, fn, method, path, registration, request: response, response: next, next: fn.parameters[3], ...facts };
  }
  return { framework, fn, method, path, registration, request, response, next, ...facts };
}

function nestHandlers(ctx: RuleContext): RouteHandler[] {
  const { ts } = ctx;
  const out: RouteHandler[] = [];
  for (const stmt of ctx.sourceFile.statements) {
    if (!ts.isClassDeclaration(stmt)) continue;
    for (const member of stmt.members) {
      if (!ts.isMethodDeclaration(member) || !member.body) continue;
      for (const decorator of ts.getDecorators(member) ?? []) {
        const call = decorator.expression;
        if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
        const method = NEST_METHOD_DECORATORS[call.expression.text];
        const target = method ? resolveCall(ctx, call) : undefined;
        if (!method || target?.module !== '@nestjs/common') continue;
        const path = call.arguments[0] && ts.isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : undefined;
        out.push({ framework: 'nest', fn: member, method, path, registration: decorator });
      }
    }
  }
  return out;
}

function nextHandlers(ctx: RuleContext): RouteHandler[] {
  const { ts } = ctx;
  const file = ctx.fileName;
  const appRoute = /\/app\/(?:.*\/)?route\.[cm]?[jt]sx?$/.test(file);
  const pagesApi = /\/pages\/api\//.test(file);
  if (!appRoute && !pagesApi) return [];
  const out: RouteHandler[] = [];
  const isAppMethod = (name: string | undefined): name is string => !!name && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name);
  for (const stmt of ctx.sourceFile.statements) {
    const mods = (ts.canHaveModifiers(stmt) && ts.getModifiers(stmt)) || [];
    const exported = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (!exported) continue;
    // export const POST = async (request: Request) => { … }
    if (appRoute && ts.isVariableStatement(stmt)) {
      for (const decl of stmt.declarationList.declarations) {
        const init = decl.initializer && skipOuter(ts, decl.initializer);
        if (!init || !ts.isIdentifier(decl.name) || !isAppMethod(decl.name.text) || !(ts.isArrowFunction(init) || ts.isFunctionExpression(init))) continue;
        out.push({ framework: 'next', fn: init, method: decl.name.text.toLowerCase(), registration: stmt, request: init.parameters[0] });
      }
      continue;
    }
    if (!ts.isFunctionDeclaration(stmt) || !stmt.body) continue;
    const name = stmt.name?.text;
    if (appRoute && isAppMethod(name)) {
      out.push({ framework: 'next', fn: stmt, method: name.toLowerCase(), registration: stmt, request: stmt.parameters[0] });
    } else if (pagesApi && isDefault) {
      out.push({ framework: 'next', fn: stmt, registration: stmt, request: stmt.parameters[0], response: stmt.parameters[1] });
    }
  }
  return out;
}

/** True when `expr` is the request object of a handler (by its declared type, or as a handler's request parameter). */
export function isRequestObject(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (!ts.isIdentifier(e)) return false;
  const symbol = ctx.checker.getSymbolAtLocation(e);
  const decl = symbol?.valueDeclaration;
  if (decl && ts.isParameter(decl) && findRouteHandlers(ctx).some((h) => h.request === decl)) return true;
  return isRequestType(ctx, ctx.checker.getTypeAtLocation(e));
}

const REQUEST_TYPES: Record<string, readonly string[]> = {
  'express-serve-static-core': ['Request'],
  express: ['Request'],
  fastify: ['FastifyRequest'],
  next: ['NextApiRequest', 'NextRequest'],
};

function isRequestType(ctx: RuleContext, type: ts.Type): boolean {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  if (!symbol) return false;
  return (symbol.declarations ?? []).some((d) => {
    const file = d.getSourceFile().fileName;
    return Object.entries(REQUEST_TYPES).some(([pkg, names]) => file.includes(`/node_modules/${pkg}/`) || file.includes(`/node_modules/@types/${pkg}/`) ? names.includes(symbol.name) : false);
  });
}

/** The request part a property of the request object holds (`body`, `file` → 'files'), if it is one. */
export function requestPartNamed(name: string): RequestPart | undefined {
  if (name === 'body' || name === 'query' || name === 'params' || name === 'headers' || name === 'cookies') return name;
  if (name === 'file' || name === 'files') return 'files';
  return undefined;
}

/**
 * `req.body`, `req.query.page`, `req.params['id']` → the part read; undefined when
 * `expr` is not a read of request data.
 */
export function requestPartOf(ctx: RuleContext, expr: ts.Expression): RequestPart | undefined {
  const { ts } = ctx;
  let e = skipOuter(ts, expr);
  // Walk down to the access right on the request object.
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const inner = skipOuter(ts, e.expression);
    if (ts.isPropertyAccessExpression(e) && isRequestObject(ctx, inner)) {
      return requestPartNamed(e.name.text);
    }
    e = inner;
  }
  return undefined;
}
