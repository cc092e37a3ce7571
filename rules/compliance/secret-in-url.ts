// secret-in-url: a secret or token is put into the query string of an outbound request
// or a redirect, where logs, proxies, browser history and Referer headers keep it.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { optionValue, outboundCall } from '../shared/outbound-http';
import { propertyName } from '../shared/outbound-http/options';
import { serverOf } from '../shared/responses';
import { isSecretParamName, isSecretValue, queryParamsOf } from '../shared/url-secret-params';
import { forEachCall } from '../shared/walk';

export const rule: Rule = {
  id: 'secret-in-url',
  category: 'compliance',
  cwe: [598],
  defaultSeverity: 'warning',
  description: 'A token, API key, password or secret is sent in the query string of an outbound request or a redirect URL.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    forEachCall(ctx, (call) => {
      const out = outboundCall(ctx, call);
      if (out) {
        if (out.url) checkUrl(ctx, out.url, out.label);
        const paramsOption = out.client === 'axios' ? 'params' : out.client === 'got' ? 'searchParams' : undefined;
        if (paramsOption) checkParamsObject(ctx, optionValue(ctx, out.options, paramsOption), out.label);
        return;
      }
      const redirect = redirectUrl(ctx, call);
      if (redirect) {
        checkUrl(ctx, redirect.url, redirect.label);
        return;
      }
      checkSearchParamsSet(ctx, call);
    });
  },
};

function checkUrl(ctx: RuleContext, url: ts.Expression, via: string): void {
  for (const param of queryParamsOf(ctx, unwrapUrl(ctx, url))) {
    if (isSecretParamName(param.name) && isSecretValue(ctx, param.value)) report(ctx, param.value, param.name, via);
  }
}

/** `{ params: { api_key: process.env.KEY } }` of axios, `searchParams` of got. */
function checkParamsObject(ctx: RuleContext, params: ts.Expression | undefined, via: string): void {
  const { ts } = ctx;
  const o = params && skipOuter(ts, params);
  if (!o || !ts.isObjectLiteralExpression(o)) return;
  for (const p of o.properties) {
    const name = ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? propertyName(ts, p.name) : undefined;
    const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
    if (name && value && isSecretParamName(name) && isSecretValue(ctx, value)) report(ctx, value, name, via);
  }
}

/** `url.searchParams.set('token', token)` on a WHATWG URL. */
function checkSearchParamsSet(ctx: RuleContext, call: ts.CallExpression): void {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'set' && callee.name.text !== 'append')) return;
  const receiver = skipOuter(ts, callee.expression);
  if (!ts.isPropertyAccessExpression(receiver) || receiver.name.text !== 'searchParams' || !isLibraryType(ctx, receiver, 'URLSearchParams')) return;
  const [nameArg, value] = call.arguments;
  const name = nameArg && ts.isStringLiteralLike(skipOuter(ts, nameArg)) ? (skipOuter(ts, nameArg) as ts.StringLiteralLike).text : undefined;
  if (name && value && isSecretParamName(name) && isSecretValue(ctx, value)) report(ctx, value, name, `${receiver.getText(ctx.sourceFile)}.${callee.name.text}`);
}

/** The URL of `res.redirect(url)` (Express, Fastify) or `Response.redirect(url)` (web, Next). */
function redirectUrl(ctx: RuleContext, call: ts.CallExpression): { url: ts.Expression; label: string } | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'redirect' || call.arguments.length === 0) return undefined;
  const receiver = skipOuter(ts, callee.expression);
  const label = `${receiver.getText(ctx.sourceFile)}.redirect`;
  const server = serverOf(ctx, receiver);
  // Express takes (status, url) or (url); Fastify 5 takes (url, code).
  if (server === 'express') return { url: call.arguments[call.arguments.length - 1], label };
  if (server === 'fastify') return { url: call.arguments[0], label };
  if (ts.isIdentifier(receiver) && (receiver.text === 'Response' || receiver.text === 'NextResponse') && isDeclaredInLibrary(ctx, receiver)) return { url: call.arguments[0], label };
  return undefined;
}

/** `new URL(template)` carries the template's query string. */
function unwrapUrl(ctx: RuleContext, url: ts.Expression): ts.Expression {
  const { ts } = ctx;
  const e = skipOuter(ts, url);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.[0] && isDeclaredInLibrary(ctx, e.expression)) return e.arguments[0];
  return e;
}

function isDeclaredInLibrary(ctx: RuleContext, id: ts.Identifier): boolean {
  let symbol = ctx.checker.getSymbolAtLocation(id);
  if (symbol && symbol.flags & ctx.ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decls = symbol?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => d.getSourceFile().isDeclarationFile);
}

function isLibraryType(ctx: RuleContext, expr: ts.Expression, name: string): boolean {
  const symbol = ctx.checker.getTypeAtLocation(expr).getSymbol();
  return symbol?.name === name && (symbol.declarations ?? []).every((d) => d.getSourceFile().isDeclarationFile);
}

function report(ctx: RuleContext, value: ts.Expression, param: string, via: string): void {
  const label = value.getText(ctx.sourceFile).replace(/\s+/g, '');
  ctx.report({
    node: value,
    message: `\`${label}\` is sent in the \`${param}\` query parameter by \`${via}\`: URLs are kept in logs, proxies and browser history, so send it in a header (Authorization or x-api-key) or the body instead.`,
  });
}
