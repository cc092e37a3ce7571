// Which matrix column a finding turns red is said by the rule, not read from its
// message: every finding of a rule that declares concerns carries some of them, and
// unguarded-external-call tells a missing timeout from an unhandled failure per call.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ALL_RULES } from '../../rules/index';
import { FIXTURES_ROOT, fixtureFiles, fixtureWorkspace } from '../support/fixtures';

describe('report: the endpoint concerns findings carry', () => {
  it('gives every finding of a rule with concerns a non-empty subset of them', () => {
    const ws = fixtureWorkspace();
    for (const rule of ALL_RULES.filter((r) => r.concerns && r.concerns.length > 0)) {
      const findings = fixtureFiles(path.join(FIXTURES_ROOT, rule.category, rule.id)).flatMap((file) => ws.analyzeFile(file).findings.filter((f) => f.ruleId === rule.id));
      assert.ok(findings.length > 0, `${rule.id} has findings on its fixtures`);
      for (const f of findings) {
        assert.ok(f.concerns && f.concerns.length > 0, `${rule.id}: ${f.message}`);
        assert.ok(f.concerns.every((c) => rule.concerns!.includes(c)), `${rule.id}: ${f.concerns.join(',')}`);
      }
    }
  });

  it('tells an unguarded call\'s missing timeout from its unhandled failure', () => {
    const ws = fixtureWorkspace();
    const rule = ALL_RULES.find((r) => r.id === 'unguarded-external-call')!;
    const kinds = new Set<string>();
    for (const file of fixtureFiles(path.join(FIXTURES_ROOT, rule.category, rule.id))) {
      for (const f of ws.analyzeFile(file).findings.filter((x) => x.ruleId === rule.id)) {
        const kind = [...(f.concerns ?? [])].sort().join('+');
        kinds.add(kind);
        // The message and the concerns agree (the message is what the user reads).
        if (kind === 'timeouts') assert.match(f.message, /has no timeout:/);
        if (kind === 'errorHandling') assert.doesNotMatch(f.message, /no timeout/);
      }
    }
    assert.ok(kinds.has('timeouts') && kinds.has('errorHandling'), [...kinds].join(', '));
  });

  it('leaves rules about no endpoint protection without concerns', () => {
    for (const id of ['sql-injection', 'unindexed-query']) assert.equal(ALL_RULES.find((r) => r.id === id)!.concerns, undefined, id);
  });
});
