// `.hardening.json`: comments allowed, validated against the published schema,
// clear problems for bad files, and the defaults kept when it is broken.
import * as assert from 'node:assert/strict';
import { loadConfig } from '../../server/src/engine/config';

const root = '/project';
const withFile = (text: string | undefined) => (f: string) => (f === '/project/.hardening.json' ? text : undefined);

describe('configuration', () => {
  it('uses the defaults when there is no file', () => {
    const { config, problems } = loadConfig(root, withFile(undefined));
    assert.deepEqual(problems, []);
    assert.deepEqual(config.rules, {});
    assert.equal(config.maxFileSizeKb, 1024);
  });

  it('reads severities, options, excludes and limits, with comments', () => {
    const { config, problems } = loadConfig(
      root,
      withFile('{\n // team policy\n "rules": { "sql-injection": "warning", "swallowed-error": ["off"], "unindexed-query": ["info", { "x": 1 }] },\n "exclude": ["generated/"],\n "maxFileSizeKb": 64,\n}'),
    );
    assert.deepEqual(problems, []);
    assert.equal(config.rules['sql-injection'].severity, 'warning');
    assert.equal(config.rules['swallowed-error'].severity, 'off');
    assert.deepEqual(config.rules['unindexed-query'], { severity: 'info', options: { x: 1 } });
    assert.deepEqual(config.exclude, ['generated/']);
    assert.equal(config.maxFileSizeKb, 64);
  });

  it('explains invalid JSON and keeps the defaults', () => {
    const { config, problems } = loadConfig(root, withFile('{ "rules": { "sql-injection": "error" '));
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /not valid JSON/);
    assert.deepEqual(config.rules, {});
  });

  it('names an unknown key, an unknown rule and a bad severity', () => {
    const unknownKey = loadConfig(root, withFile('{ "rulez": {} }')).problems;
    assert.match(unknownKey[0].message, /unknown key "rulez"/);
    const unknownRule = loadConfig(root, withFile('{ "rules": { "sql-injektion": "error" } }')).problems;
    assert.ok(unknownRule.some((p) => /unknown rule "sql-injektion"/.test(p.message)), JSON.stringify(unknownRule));
    const badSeverity = loadConfig(root, withFile('{ "rules": { "sql-injection": "fatal" } }')).problems;
    assert.ok(badSeverity.length > 0);
  });

  it('lets the project file override user settings and adds both excludes', () => {
    const { config } = loadConfig(root, withFile('{ "rules": { "sql-injection": "info" }, "exclude": ["b/"] }'), {
      rules: { 'sql-injection': 'off', 'swallowed-error': 'error' },
      exclude: ['a/'],
    });
    assert.equal(config.rules['sql-injection'].severity, 'info');
    assert.equal(config.rules['swallowed-error'].severity, 'error');
    assert.deepEqual(config.exclude, ['a/', 'b/']);
  });
});
