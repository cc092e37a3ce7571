// The command line itself: --version, --help, `harden rules`, `harden lsp`, and
// exit code 2 with one clear line for every usage or configuration error.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ALL_RULES } from '../../rules/index';
import { META_RULES } from '../../rules/meta';
import { packageFile } from '../../server/src/engine/package-root';
import { harden, REPO_ROOT, TempProject } from './cli-support';
import { initializeOverStdio } from './lsp-probe';

describe('harden: usage', function () {
  let project: TempProject;
  before(() => {
    project = new TempProject({ 'src/app.ts': 'export const answer = 42;\n', 'package.json': '{ "name": "app" }\n' });
  });
  after(() => project.dispose());

  it('--version prints the package version', () => {
    const run = harden(['--version'], REPO_ROOT);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), JSON.parse(fs.readFileSync(packageFile('package.json'), 'utf8')).version);
  });

  it('--help lists the commands, examples and exit codes', () => {
    const run = harden(['--help'], REPO_ROOT);
    assert.equal(run.code, 0);
    for (const text of ['audit', 'rules', 'lsp', 'Examples:', 'Exit codes']) assert.ok(run.stdout.includes(text), `help lacks ${text}`);
  });

  it('audit --help documents its options', () => {
    const run = harden(['audit', '--help'], REPO_ROOT);
    assert.equal(run.code, 0);
    for (const option of ['--format', '--output', '--fail-on', '--rule', '--quiet', '--no-color', '--max-warnings']) {
      assert.ok(run.stdout.includes(option), `audit help lacks ${option}`);
    }
  });

  it('no command: help on stderr, exit 2', () => {
    const run = harden([], REPO_ROOT);
    assert.equal(run.code, 2);
    assert.ok(run.stderr.includes('Usage: harden'));
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['an unknown option', ['audit', '--bogus'], /^harden: unknown option '--bogus'/],
    ['an unknown command', ['inspect'], /^harden: unknown command 'inspect'/],
    ['a path that does not exist', ['audit', 'no/such/dir'], /^harden: no such file or directory: no\/such\/dir$/],
    ['an unknown rule in --rule', ['audit', '--rule', 'no-such-rule'], /^harden: unknown rule "no-such-rule" in --rule; run `harden rules`/],
    ['a path given after --rule', ['audit', '--rule', 'skipped-file', 'src'], /unknown rule "src" in --rule.*put paths before --rule/],
    ['an unknown format', ['audit', '--format', 'xml'], /^harden: option '-f, --format <format>' argument 'xml' is invalid/],
    ['an unknown --fail-on', ['audit', '--fail-on', 'critical'], /^harden: option '--fail-on <severity>' argument 'critical' is invalid/],
    ['a bad --max-warnings', ['audit', '--max-warnings', 'many'], /^harden: option '--max-warnings <n>' argument 'many' is invalid/],
    ['lsp without --stdio', ['lsp'], /^harden: the language server speaks over stdio only/],
  ];
  for (const [what, args, message] of usageErrors) {
    it(`${what}: exit 2 and one line on stderr`, () => {
      const run = project.run(...args);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], message);
    });
  }

  describe('an invalid .hardening.json', () => {
    let broken: TempProject;
    afterEach(() => broken.dispose());

    it('that is not JSON: exit 2 naming the file', () => {
      broken = new TempProject({ 'src/app.ts': 'export const a = 1;\n', '.hardening.json': '{ "rules": \n' });
      const run = broken.run('audit');
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^harden: invalid configuration: \.hardening\.json is not valid JSON/);
    });

    it('with an unknown key, in the folder of the audited file: exit 2 naming the file and the key', () => {
      broken = new TempProject({ 'sub/src/app.ts': 'export const a = 1;\n', 'sub/.hardening.json': '{ "rulez": {} }\n' });
      const run = broken.run('audit', 'sub/src/app.ts');
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^harden: invalid configuration: sub\/\.hardening\.json: unknown key "rulez"/);
    });

    it('naming an unknown rule: exit 2 naming the rule', () => {
      broken = new TempProject({ 'src/app.ts': 'export const a = 1;\n', '.hardening.json': '{ "rules": { "no-such-rule": "error" } }\n' });
      const run = broken.run('audit');
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^harden: invalid configuration: \.hardening\.json: .*unknown rule "no-such-rule"/m);
    });
  });

  describe('harden rules', () => {
    const ids = [...ALL_RULES, ...META_RULES].map((r) => r.id);

    it('lists every rule in a table', () => {
      const run = harden(['rules'], REPO_ROOT);
      assert.equal(run.code, 0);
      const lines = run.stdout.split('\n');
      assert.match(lines[0], /^RULE\s+CATEGORY\s+SEVERITY\s+CWE\s+FIX\s+DESCRIPTION$/);
      for (const rule of [...ALL_RULES, ...META_RULES]) {
        const row = lines.find((l) => l.startsWith(`${rule.id} `));
        assert.ok(row, `no row for ${rule.id}`);
        assert.ok(row.includes(rule.category) && row.includes(rule.defaultSeverity) && row.includes(rule.description), row);
        for (const cwe of rule.cwe) assert.ok(row.includes(`CWE-${cwe}`), row);
      }
      assert.ok(run.stdout.includes(`${ids.length} rules`));
    });

    it('--format json gives one object per rule', () => {
      const run = harden(['rules', '--format', 'json'], REPO_ROOT);
      assert.equal(run.code, 0);
      const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
      assert.deepEqual(
        rows.map((r) => r.id),
        ids,
      );
      for (const row of rows) {
        assert.deepEqual(Object.keys(row).sort(), ['category', 'cwe', 'defaultSeverity', 'description', 'docsUrl', 'fixable', 'id', 'needsTypes']);
      }
    });
  });

  describe('harden lsp --stdio', () => {
    it('starts the language server, or says clearly that it is missing', async () => {
      const serverBuilt = fs.existsSync(packageFile('out/server/src/lsp/server.js'));
      if (!serverBuilt) {
        const run = harden(['lsp', '--stdio'], REPO_ROOT);
        assert.equal(run.code, 2);
        assert.match(run.stderr, /^harden: the language server is not part of this build/);
        return;
      }
      const result = await initializeOverStdio(project.dir);
      assert.ok(result.capabilities, 'initialize returned no capabilities');
      assert.equal(result.exitCode, 0);
    });
  });
});
