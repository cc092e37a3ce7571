// Is this module browser code? A 'use client' directive, an import of React or of Next's
// client modules, or a read of the browser's globals (window, localStorage, sessionStorage,
// document) declared by lib.dom. Server modules ('use server', next/headers, server-only)
// are not, whatever else they import.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { readsBrowserGlobal } from '../../shared/browser-globals';
import { importedModules } from '../../shared/module-imports';

const CLIENT_MODULES = ['react', 'react-dom', 'react-dom/client', 'next/navigation', 'next/router', 'next/link', 'vue', 'svelte', '@angular/core'];
const SERVER_MODULES = ['next/headers', 'server-only', 'next/server'];

export function isBrowserModule(ctx: RuleContext): boolean {
  const directives = directivesOf(ctx, ctx.sourceFile);
  if (directives.includes('use server')) return false;
  const modules = importedModules(ctx);
  if (modules.some((m) => SERVER_MODULES.includes(m))) return false;
  if (directives.includes('use client')) return true;
  if (modules.some((m) => CLIENT_MODULES.includes(m))) return true;
  return readsBrowserGlobal(ctx);
}

function directivesOf(ctx: RuleContext, sf: ts.SourceFile): string[] {
  const { ts } = ctx;
  const out: string[] = [];
  for (const s of sf.statements) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) break;
    out.push(s.expression.text);
  }
  return out;
}
