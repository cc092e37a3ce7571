// Which modules the rule leaves alone: browser code (its requests go to its own
// API, and a hung one costs a spinner, not a server's sockets); tests are told apart by
// shared/module-imports.ts. Decided
// by what the module is: a 'use client' directive, JSX, UI-framework imports,
// browser-only globals, a test framework import — and never when it defines routes.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { readsBrowserGlobal } from '../../shared/browser-globals';
import { findRouteHandlers } from '../../shared/http';
import { importedModules } from '../../shared/module-imports';

const UI_MODULES = ['react', 'react-dom', 'preact', 'vue', 'svelte', 'solid-js', '@angular/core', 'next/navigation', 'next/router', 'swr', '@tanstack/react-query', '@tanstack/vue-query'];

// A package that depends on a UI framework and on no server framework is a browser or mobile app.
const UI_PACKAGES = ['react-dom', 'react-native', 'expo', 'vue', 'svelte', '@angular/core', 'solid-js', 'preact'];
const SERVER_PACKAGES = ['express', 'fastify', '@nestjs/core', 'koa', '@hapi/hapi', 'hono', 'restify', 'next', 'nuxt', '@sveltejs/kit', '@remix-run/node', '@remix-run/server-runtime', 'astro'];

export function isClientModule(ctx: RuleContext): boolean {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const first = sf.statements[0];
  if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client') return true;
  if (findRouteHandlers(ctx).length > 0) return false;
  const deps = Object.keys(ctx.project.packageJson(ctx.fileName)?.allDependencies ?? {});
  if (deps.some((d) => UI_PACKAGES.includes(d)) && !deps.some((d) => SERVER_PACKAGES.includes(d))) return true;
  if (importedModules(ctx).some((m) => UI_MODULES.includes(m))) return true;
  return containsJsx(ts, sf) || readsBrowserGlobal(ctx);
}


function containsJsx(ts: RuleContext['ts'], sf: ts.SourceFile): boolean {
  if (!/\.[jt]sx$/.test(sf.fileName)) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxFragment(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}
