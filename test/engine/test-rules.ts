// Tiny rules for engine tests: they exercise the runner without depending on the
// real catalogue's behaviour.
import type { Rule } from '../../rules/api';

/** Flags every `debugger` statement; fix removes it. */
export const flagDebugger: Rule = {
  id: 'swallowed-error',
  category: 'observability',
  cwe: [],
  defaultSeverity: 'warning',
  description: 'test rule: flags debugger statements',
  needsTypes: false,
  fixable: true,
  check(ctx) {
    const visit = (n: import('ts-morph').ts.Node): void => {
      if (ctx.ts.isDebuggerStatement(n)) {
        ctx.report({
          node: n,
          message: '`debugger` left in code: remove it.',
          fixes: () => [{ title: 'Remove `debugger`', safe: true, edits: [{ fileName: ctx.fileName, start: n.getStart(), end: n.getEnd(), newText: '' }] }],
        });
      }
      ctx.ts.forEachChild(n, visit);
    };
    visit(ctx.sourceFile);
  },
};

export const throwing: Rule = {
  id: 'sql-injection',
  category: 'security',
  cwe: [89],
  defaultSeverity: 'error',
  description: 'test rule: always throws',
  needsTypes: false,
  fixable: false,
  check() {
    throw new Error('rule exploded');
  },
};

/** Burns time, to exercise the per-file budget. */
export const slow: Rule = {
  id: 'unindexed-query',
  category: 'performance',
  cwe: [],
  defaultSeverity: 'warning',
  description: 'test rule: takes 120 ms',
  needsTypes: false,
  fixable: false,
  check() {
    const until = performance.now() + 120;
    while (performance.now() < until) {
      // busy on purpose
    }
  },
};

/** Asks the checker for the type of every identifier named `pool`. */
export const typeAware: Rule = {
  id: 'unguarded-external-call',
  category: 'error-handling',
  cwe: [],
  defaultSeverity: 'warning',
  description: 'test rule: reports the type of `pool`',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    const visit = (n: import('ts-morph').ts.Node): void => {
      if (ctx.ts.isIdentifier(n) && n.text === 'pool' && ctx.ts.isVariableDeclaration(n.parent)) {
        ctx.report({ node: n, message: `\`pool\` is \`${ctx.checker.typeToString(ctx.checker.getTypeAtLocation(n))}\`` });
      }
      ctx.ts.forEachChild(n, visit);
    };
    visit(ctx.sourceFile);
  },
};

/** Works until the engine says stop, as a long rule should. */
export const cooperative: Rule = {
  id: 'missing-input-validation',
  category: 'validation',
  cwe: [],
  defaultSeverity: 'warning',
  description: 'test rule: runs until told to stop',
  needsTypes: false,
  fixable: false,
  check(ctx) {
    while (!ctx.isCancellationRequested()) {
      // one more unit of work
    }
  },
};
