// Data that arrives outside an HTTP framework's request object: AWS Lambda events,
// WebSocket (ws, socket.io) messages, and in the browser the URL, the referrer, the
// window name and cross-window messages. Recognised by the declared types and by the
// listener a value is the parameter of, never by a variable's name alone.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { isLibFile, resolveCall, skipOuter } from '../../shared/callee';
import { shortText } from '../../shared/source-text';
import type { TaintSource } from '../types';

/** Members of an API Gateway / ALB / function-URL event that the caller chose. */
const LAMBDA_MEMBERS: Readonly<Record<string, string>> = {
  body: 'body',
  queryStringParameters: 'query',
  multiValueQueryStringParameters: 'query',
  rawQueryString: 'query',
  pathParameters: 'params',
  headers: 'headers',
  multiValueHeaders: 'headers',
  cookies: 'cookies',
  rawPath: 'url',
  path: 'url',
};
/** `location.*` members an attacker's link decides. */
const LOCATION_MEMBERS = new Set(['href', 'search', 'hash', 'pathname']);
const DOCUMENT_MEMBERS = new Set(['URL', 'documentURI', 'baseURI', 'referrer']);
const WEBSOCKET_PACKAGES = new Set(['ws', 'socket.io', 'isomorphic-ws']);
/** socket.io events the library itself emits: their arguments are not client data. */
const SOCKET_LIFECYCLE = new Set(['connect', 'connection', 'disconnect', 'disconnecting', 'error', 'close', 'open', 'ping', 'pong', 'upgrade', 'headers', 'listening']);

function isLibSymbol(symbol: ts.Symbol | undefined): boolean {
  return (symbol?.declarations ?? []).some((d) => isLibFile(d.getSourceFile().fileName));
}

/** `event.body`, `event.queryStringParameters.id` of a Lambda handler's event. */
export function lambdaSource(ctx: RuleContext, e: ts.Expression): TaintSource | undefined {
  const { ts } = ctx;
  let x: ts.Expression = e;
  while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
    const inner = skipOuter(ts, x.expression);
    if (ts.isPropertyAccessExpression(x) && LAMBDA_MEMBERS[x.name.text] && isLambdaEvent(ctx, inner)) {
      return { kind: 'lambda', label: shortText(ctx, e), node: e, part: LAMBDA_MEMBERS[x.name.text] };
    }
    x = inner;
  }
  return undefined;
}

function isLambdaEvent(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isIdentifier(e)) return false;
  const type = ctx.checker.getTypeAtLocation(e);
  const symbol = type.aliasSymbol ?? type.getSymbol();
  if ((symbol?.declarations ?? []).some((d) => d.getSourceFile().fileName.includes('/@types/aws-lambda/'))) return true;
  // Plain JS: the first parameter of an exported `handler` (the Lambda convention).
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl || !ts.isParameter(decl) || !(type.flags & ts.TypeFlags.Any)) return false;
  const fn = decl.parent;
  return fn.parameters[0] === decl && isExportedHandler(ctx, fn);
}

function isExportedHandler(ctx: RuleContext, fn: ts.SignatureDeclaration): boolean {
  const { ts } = ctx;
  const holder = fn.parent;
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text === 'handler' && !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) && holder.name.text === 'handler') {
    return !!ts.getModifiers(holder.parent.parent as ts.VariableStatement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  }
  // exports.handler = … / module.exports.handler = …
  return ts.isBinaryExpression(holder) && ts.isPropertyAccessExpression(holder.left) && holder.left.name.text === 'handler' && /^(module\.)?exports$/.test(holder.left.expression.getText());
}

/** A parameter that is a message from a WebSocket client or from another window. */
export function listenerParameterSource(ctx: RuleContext, param: ts.ParameterDeclaration): TaintSource | undefined {
  const { ts } = ctx;
  const fn = param.parent;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || call.arguments[1] !== fn || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const event = call.arguments[0];
  if (!ts.isStringLiteralLike(event)) return undefined;
  const method = call.expression.name.text;
  if (method !== 'on' && method !== 'once' && method !== 'addListener') return undefined;
  const module = resolveCall(ctx, call)?.module;
  if (!module || !WEBSOCKET_PACKAGES.has(module)) return undefined;
  if (module === 'ws' ? event.text !== 'message' || fn.parameters[0] !== param : SOCKET_LIFECYCLE.has(event.text)) return undefined;
  return { kind: 'websocket', label: param.name.getText(), node: param, part: 'message' };
}

/** `location.hash`, `window.location.search`, `document.URL`, `document.referrer`, `window.name`, a message event's `data`. */
export function browserSource(ctx: RuleContext, e: ts.Expression): TaintSource | undefined {
  const { ts } = ctx;
  if (!ts.isPropertyAccessExpression(e)) return undefined;
  const name = e.name.text;
  const owner = skipOuter(ts, e.expression);
  const ownerType = ctx.checker.getTypeAtLocation(owner);
  const ownerName = ownerType.getSymbol()?.name;
  const make = (): TaintSource => ({ kind: 'browser', label: shortText(ctx, e), node: e });
  if (LOCATION_MEMBERS.has(name) && ownerName === 'Location' && isLibSymbol(ownerType.getSymbol())) return make();
  if (DOCUMENT_MEMBERS.has(name) && ownerName === 'Document' && isLibSymbol(ownerType.getSymbol())) return make();
  if (name === 'name' && ownerName === 'Window' && isLibSymbol(ownerType.getSymbol())) return make();
  if (name === 'data' && ownerName === 'MessageEvent' && isLibSymbol(ownerType.getSymbol()) && !checksOrigin(ctx, owner)) return make();
  return undefined;
}

/** `if (event.origin !== 'https://app.example') return;`: the listener only trusts one origin. */
function checksOrigin(ctx: RuleContext, eventRef: ts.Expression): boolean {
  const { ts } = ctx;
  const symbol = ts.isIdentifier(eventRef) ? ctx.checker.getSymbolAtLocation(eventRef) : undefined;
  const decl = symbol?.valueDeclaration;
  const fn = decl && ts.isParameter(decl) ? decl.parent : undefined;
  const body = fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) ? fn.body : undefined;
  if (!body) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(n.operatorToken.kind)) {
      found = [n.left, n.right].some((side) => ts.isPropertyAccessExpression(side) && side.name.text === 'origin' && ts.isIdentifier(side.expression) && ctx.checker.getSymbolAtLocation(side.expression) === symbol);
    }
    // `allowed.includes(event.origin)`
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && (n.expression.name.text === 'includes' || n.expression.name.text === 'has')) {
      const arg = n.arguments[0];
      found = !!arg && ts.isPropertyAccessExpression(arg) && arg.name.text === 'origin';
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}
