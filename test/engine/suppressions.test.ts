// Suppression comments: parsed with the scanner, need a rule and a reason, and are
// themselves reported when malformed or unused.
import * as assert from 'node:assert/strict';
import { findSuppressions } from '../../server/src/engine/suppressions';
import { Workspace } from '../../server/src/engine/workspace';
import { flagDebugger } from './test-rules';
import { removeProject, tempProject } from './temp-project';

const known = (id: string) => ['swallowed-error', 'sql-injection'].includes(id);

describe('suppressions', () => {
  it('parses next-line and file directives with several rules and a reason', () => {
    const { suppressions, malformed } = findSuppressions(
      '// hardening-ignore-file sql-injection -- generated\nx();\n  // hardening-ignore-next-line swallowed-error, sql-injection -- legacy, tracked in JIRA-1\ny();\n',
      known,
    );
    assert.deepEqual(malformed, []);
    assert.deepEqual(
      suppressions.map((s) => [s.kind, s.ruleIds, s.reason, s.line]),
      [
        ['file', ['sql-injection'], 'generated', 0],
        ['next-line', ['swallowed-error', 'sql-injection'], 'legacy, tracked in JIRA-1', 2],
      ],
    );
  });

  it('reports a directive without a reason, without a rule, or with an unknown rule', () => {
    const { suppressions, malformed } = findSuppressions(
      '// hardening-ignore-next-line swallowed-error\n// hardening-ignore-next-line -- why\n// hardening-ignore-next-line sql-injektion -- typo\n',
      known,
    );
    assert.equal(suppressions.length, 0);
    assert.equal(malformed.length, 3);
    assert.match(malformed[0].message, /gives no reason/);
    assert.match(malformed[1].message, /names no rule/);
    assert.match(malformed[2].message, /unknown rule `sql-injektion`/);
  });

  it('ignores the directive text inside a string literal', () => {
    const { suppressions, malformed } = findSuppressions('const s = "// hardening-ignore-next-line swallowed-error";\n', known);
    assert.deepEqual([suppressions, malformed], [[], []]);
  });

  it('suppresses a finding, and reports suppressions that suppress nothing', () => {
    const root = tempProject({
      'a.ts': [
        'export function f() {',
        '  // hardening-ignore-next-line swallowed-error -- kept for the demo',
        '  debugger;',
        '  // hardening-ignore-next-line swallowed-error -- nothing here',
        '  return 1;',
        '}',
        'debugger;',
        '',
      ].join('\n'),
    });
    const ws = new Workspace({ roots: [root], rules: [flagDebugger] });
    try {
      const findings = ws.analyzeFile(`${root}/a.ts`).findings;
      assert.deepEqual(
        findings.map((f) => [f.ruleId, f.range.start.line]),
        [
          ['unused-suppression', 3],
          ['swallowed-error', 6],
        ],
      );
      const removal = findings[0].fixes!()[0];
      assert.equal(removal.safe, true);
    } finally {
      ws.dispose();
      removeProject(root);
    }
  });
});
