// What a module is, from what it imports: the modules named by its top-level imports and
// `require`s, and whether it is a test (test and seed code handles fixture data no attacker
// controls, so several rules leave it alone).
import type { RuleContext } from '../api';

const TEST_MODULES = ['vitest', '@jest/globals', 'mocha', 'node:test', 'supertest', '@playwright/test', 'chai', 'nock', 'msw'];

/** Module specifiers of the file's top-level `import … from 'm'` and `const x = require('m')`. */
export function importedModules(ctx: RuleContext): string[] {
  const { ts } = ctx;
  const out: string[] = [];
  for (const s of ctx.sourceFile.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier)) out.push(s.moduleSpecifier.text);
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer;
        if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments[0] && ts.isStringLiteral(init.arguments[0])) {
          out.push(init.arguments[0].text);
        }
      }
    }
  }
  return out;
}

/** A test file: named like one, under `__tests__`, or importing a test framework. */
export function isTestModule(ctx: RuleContext): boolean {
  if (/\.(?:test|spec)\.[cm]?[jt]sx?$/.test(ctx.fileName) || ctx.fileName.includes('/__tests__/')) return true;
  return importedModules(ctx).some((m) => TEST_MODULES.includes(m));
}
