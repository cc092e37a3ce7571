// The engine hook: `analyzeFile(file, { inventory: true })` returns the endpoints beside
// the findings (never on syntactic-only runs, never unasked), and an inventory that
// throws is recorded as a RuleFailure of 'endpoint-inventory' while the rules' findings stand.
import * as assert from 'node:assert/strict';
import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../rules/api';
import { INVENTORY_FAILURE_ID, runRules } from '../../server/src/engine/runner';
import { Workspace } from '../../server/src/engine/workspace';
import { flagDebugger } from '../engine/test-rules';
import { INVENTORY_ROOT, inventoryWorkspace } from './support';

const USERS = `${INVENTORY_ROOT}/express-app/src/users.ts`;

describe('inventory: engine hook', () => {
  it('collects endpoints only when asked, and not on syntactic-only runs', () => {
    const ws = inventoryWorkspace();
    const asked = ws.analyzeFile(USERS, { inventory: true });
    assert.deepEqual(asked.endpoints?.map((e) => `${e.method} ${e.path}`), ['GET /users', 'GET /users/:id', 'PUT /users/:id/avatar', 'DELETE /users/:id']);
    assert.equal(asked.endpoints?.[0].registration.fileName, USERS);
    assert.equal(ws.analyzeFile(USERS).endpoints, undefined);
    assert.equal(ws.analyzeFile(USERS, { inventory: true, syntacticOnly: true }).endpoints, undefined);
    // The type-aware phase of an edit is where it belongs.
    assert.equal(ws.analyzeFile(USERS, { inventory: true, typeAwareOnly: true }).endpoints?.length, 4);
  });

  it('runs beside the whole catalogue without disturbing it', () => {
    const ws = new Workspace({ roots: [INVENTORY_ROOT] });
    try {
      const with_ = ws.analyzeFile(USERS, { inventory: true, budgetScale: 20 });
      const without = ws.analyzeFile(USERS, { budgetScale: 20 });
      assert.deepEqual(with_.ruleFailures, []);
      assert.equal(with_.endpoints?.length, 4);
      assert.deepEqual(
        with_.findings.map((f) => f.fingerprint),
        without.findings.map((f) => f.fingerprint),
      );
      // The catalogue itself sees the axios call without a timeout the matrix points at.
      const byId = with_.endpoints!.find((e) => e.path === '/users/:id')!;
      const unguarded = with_.findings.find((f) => f.ruleId === 'unguarded-external-call');
      assert.equal(unguarded?.range.start.line, byId.controls.timeouts.location?.range.start.line);
    } finally {
      ws.dispose();
    }
  });

  it('records a throwing inventory as a failure of endpoint-inventory, keeping the findings', () => {
    const fileName = '/virtual/a.ts';
    const sourceFile = ts.createSourceFile(fileName, 'debugger;\n', ts.ScriptTarget.Latest, true);
    const output = runRules({
      sourceFile,
      fileName,
      program: () => assert.fail('the inventory should not need a program here'),
      facts: {} as ProjectFacts,
      rules: [{ rule: flagDebugger, severity: 'warning', options: {} }],
      metaSeverity: () => 'off',
      isKnownRule: () => true,
      budgetMs: 10_000,
      isCancelled: () => false,
      root: '/virtual',
      readText: () => undefined,
      inventory: (ctx) => {
        assert.equal(ctx.sourceFile, sourceFile);
        throw new Error('inventory exploded');
      },
    });
    assert.deepEqual(output.failures.map((f) => [f.ruleId, f.message]), [[INVENTORY_FAILURE_ID, 'inventory exploded']]);
    assert.equal(INVENTORY_FAILURE_ID, 'endpoint-inventory');
    assert.equal(output.endpoints, undefined);
    assert.equal(output.cancelled, false);
    assert.deepEqual(output.findings.map((f) => f.ruleId), ['swallowed-error']);
  });
});
