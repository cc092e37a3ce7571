// Finding a rate limiter's import in a file, for the fixes that add one (missing-rate-limit,
// login-without-rate-limit, expensive-route-without-strict-limit): reuse the user's binding,
// whatever they named it, and never declare a second `rateLimit`.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf } from './callee';

/** A top-level `import x from 'm'`, `import { rateLimit as x } from 'm'`, `const x = require('m')` or `const { rateLimit: x } = require('m')`. */
export function rateLimitBinding(ctx: RuleContext, module: string): string | undefined {
  const { ts } = ctx;
  for (const s of ctx.sourceFile.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === module && s.importClause && !s.importClause.isTypeOnly) {
      if (s.importClause.name) return s.importClause.name.text;
      const bindings = s.importClause.namedBindings;
      const named = bindings && ts.isNamedImports(bindings) ? bindings.elements.find((e) => !e.isTypeOnly && ['rateLimit', 'default', 'fastifyRateLimit'].includes((e.propertyName ?? e.name).text)) : undefined;
      if (named) return named.name.text;
    }
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      if (d.initializer && ts.isObjectBindingPattern(d.name) && originOf(ctx, d.initializer)?.module === module) {
        const named = d.name.elements.find((e) => (e.propertyName ?? e.name).getText() === 'rateLimit' && ts.isIdentifier(e.name));
        if (named) return (named.name as ts.Identifier).text;
      }
      if (!d.initializer || !ts.isIdentifier(d.name)) continue;
      const origin = originOf(ctx, d.initializer);
      if (origin?.module === module && !origin.instance && origin.members.length === 0 && origin.exportPath.every((p) => p === 'default' || p === 'rateLimit')) return d.name.text;
    }
  }
  return undefined;
}

/** A value or import of that name is declared in this file (lib globals do not count). */
export function nameTaken(ctx: RuleContext, name: string): boolean {
  const { ts } = ctx;
  return ctx.checker.getSymbolsInScope(ctx.sourceFile, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).some((s) => s.name === name && s.declarations?.some((d) => d.getSourceFile() === ctx.sourceFile));
}
