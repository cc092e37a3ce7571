// jwt-misuse: jsonwebtoken used in a way that lets a forged or stolen token through —
// a verify that pins no algorithm (or accepts 'none'), an unverified decode that decides
// who the caller is, a token signed without expiry, or signed with algorithm 'none'.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { enclosingHandler, registrationsOf } from '../shared/http';
import { arrayElements, inferVerifyAlgorithm, jwtCallKind, optionProperty, optionsAt, propertyValue } from '../shared/jwt-calls';
import { authUseOfDecode } from '../shared/jwt-decode-use';
import { isTestModule } from '../shared/module-imports';
import { shortText } from '../shared/source-text';
import { forEachCall } from '../shared/walk';
import { constantString } from '../shared/constant-values';

export const rule: Rule = {
  id: 'jwt-misuse',
  category: 'auth',
  cwe: [347, 613],
  defaultSeverity: 'error',
  description: 'jsonwebtoken verify without pinned algorithms, unverified decode used for access, tokens that never expire or signed with `none`.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    forEachCall(ctx, (call) => {
      const kind = jwtCallKind(ctx, call);
      if (kind === 'verify') checkVerify(ctx, call);
      else if (kind === 'sign') checkSign(ctx, call);
      else if (kind === 'decode') checkDecode(ctx, call);
    });
  },
};

// ---- (a) verify without pinned algorithms, or accepting 'none' ----

function checkVerify(ctx: RuleContext, call: ts.CallExpression): void {
  const options = optionsAt(ctx, call, 2);
  if (options === 'unknown') return;
  const label = callLabel(ctx, call);
  const algorithms = options === 'none' ? 'absent' : optionProperty(ctx, options, 'algorithms');
  if (algorithms === 'unknown') return;
  if (algorithms === 'absent') {
    ctx.report({
      node: call,
      message: `\`${label}\` pins no \`algorithms\`, so the token's own header picks how it is checked: pass \`algorithms: ['<the one you sign with>']\`.`,
      fixes: () => pinAlgorithmFix(ctx, call, options),
      concerns: authConcern(ctx, call),
    });
    return;
  }
  const value = propertyValue(ctx, algorithms);
  const none = value && arrayElements(ctx, value)?.find((el) => constantString(ctx, el)?.toLowerCase() === 'none');
  if (none) {
    ctx.report({
      node: none,
      message: `\`${label}\` accepts \`'none'\` in \`algorithms\`, so an unsigned token passes: list only the algorithm you sign with.`,
      concerns: authConcern(ctx, call),
    });
  }
}

function pinAlgorithmFix(ctx: RuleContext, call: ts.CallExpression, options: ts.ObjectLiteralExpression | 'none'): Fix[] {
  const alg = inferVerifyAlgorithm(ctx, call);
  if (!alg) return [];
  const edit = addOption(ctx, call, options, `algorithms: ['${alg}']`);
  return edit ? [{ title: `Accept only ${alg} tokens`, isPreferred: true, edits: [edit] }] : [];
}

// ---- (c) sign without expiry, (d) sign with algorithm 'none' ----

function checkSign(ctx: RuleContext, call: ts.CallExpression): void {
  const options = optionsAt(ctx, call, 2);
  if (options === 'unknown') return;
  const label = callLabel(ctx, call);
  if (options !== 'none') {
    const alg = optionProperty(ctx, options, 'algorithm');
    const value = typeof alg === 'object' ? propertyValue(ctx, alg) : undefined;
    if (value && constantString(ctx, value)?.toLowerCase() === 'none') {
      ctx.report({ node: value, message: `\`${label}\` signs with algorithm \`'none'\`, so anyone can forge the token: sign with HS256 or RS256 and a key.` });
      return;
    }
  }
  const expiresIn = options === 'none' ? 'absent' : optionProperty(ctx, options, 'expiresIn');
  if (expiresIn !== 'absent' || !payloadLacksExpiry(ctx, call.arguments[0])) return;
  ctx.report({
    node: call,
    message: `\`${label}\` issues a token that never expires, so a leaked token works forever: pass \`expiresIn\` (e.g. \`'1h'\`).`,
    fixes: () => {
      const edit = addOption(ctx, call, options, `expiresIn: '1h'`);
      return edit ? [{ title: 'Expire the token after one hour', isPreferred: true, edits: [edit] }] : [];
    },
  });
}

/**
 * True when the payload is an object the checker knows has no `exp` claim. A string or
 * Buffer payload cannot take `expiresIn` (jsonwebtoken throws), and an `any` payload may
 * carry `exp`: both stay silent.
 */
function payloadLacksExpiry(ctx: RuleContext, payload: ts.Expression | undefined): boolean {
  const { ts } = ctx;
  if (!payload) return false;
  const type = ctx.checker.getTypeAtLocation(payload);
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => {
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.StringLike | ts.TypeFlags.Never)) return false;
    if (!(t.flags & ts.TypeFlags.Object) || ctx.checker.getIndexInfosOfType(t).length > 0) return false;
    if (t.getSymbol()?.name === 'Buffer') return false;
    return !t.getProperty('exp');
  });
}

// ---- (b) decode whose result decides access ----

function checkDecode(ctx: RuleContext, call: ts.CallExpression): void {
  const use = authUseOfDecode(ctx, call);
  if (!use) return;
  const token = call.arguments[0] ? shortText(ctx, call.arguments[0]) : 'token';
  ctx.report({
    node: call,
    message: `\`${callLabel(ctx, call)}\` does not check the signature, yet its result is ${use.what}: use \`jwt.verify(${token}, key, { algorithms: [...] })\` instead.`,
    related: [{ node: use.node, message: 'The unverified claims decide access here.' }],
    concerns: authConcern(ctx, call),
  });
}

// ---- shared ----

/** Adds `property` to the call's options object, or passes a new options object. */
function addOption(ctx: RuleContext, call: ts.CallExpression, options: ts.ObjectLiteralExpression | 'none', property: string) {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  if (options !== 'none') {
    // Options held in a const elsewhere: editing that shared object is not this call's decision.
    if (options.getSourceFile() !== sf || !call.arguments.some((a) => a === options || (ts.isParenthesizedExpression(a) && a.expression === options))) return undefined;
    const last = options.properties[options.properties.length - 1];
    if (!last) return { fileName: ctx.fileName, start: options.getStart(sf), end: options.getEnd(), newText: `{ ${property} }` };
    return { fileName: ctx.fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${property}` };
  }
  const third = call.arguments[2];
  const isUndefined = third && ts.isIdentifier(third) && third.text === 'undefined';
  if (isUndefined) return { fileName: ctx.fileName, start: third.getStart(sf), end: third.getEnd(), newText: `{ ${property} }` };
  // A callback in third place: the options go before it.
  if (third) return { fileName: ctx.fileName, start: third.getStart(sf), end: third.getStart(sf), newText: `{ ${property} }, ` };
  const key = call.arguments[1];
  return key ? { fileName: ctx.fileName, start: key.getEnd(), end: key.getEnd(), newText: `, { ${property} }` } : undefined;
}

/** `jwt.verify(token, secret)` without the options, for messages. */
function callLabel(ctx: RuleContext, call: ts.CallExpression): string {
  const args = call.arguments.slice(0, 2).map((a) => shortText(ctx, a));
  return `${shortText(ctx, call.expression)}(${args.join(', ')}${call.arguments.length > 2 ? ', …' : ''})`;
}

/** Inside a route handler or middleware, a verify/decode is the endpoint's authentication. */
function authConcern(ctx: RuleContext, node: ts.Node): readonly ['authentication'] | undefined {
  if (enclosingHandler(ctx, node)) return ['authentication'];
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ctx.ts.isFunctionLike(n) && 'body' in n && n.body && registrationsOf(ctx, n as ts.FunctionLikeDeclaration).length > 0) return ['authentication'];
  }
  return undefined;
}
