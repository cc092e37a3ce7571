// `harden audit` end to end on small throw-away projects: the text report, the
// exit codes of --fail-on / --quiet / --max-warnings / --rule, the JSON shape,
// SARIF validated against the official schema, --output, and skipped files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as sarif from 'sarif';
import { ALL_RULES } from '../../rules/index';
import { META_RULES } from '../../rules/meta';
import { docsPath } from '../../server/src/engine/docs-url';
import { pathToUri } from '../../server/src/engine/paths';
import { findingLines, harden, sarifSchemaErrors, TempProject, type CliRun } from './cli-support';

const SWALLOWING_JOB = `export async function refreshCache(load: () => Promise<void>): Promise<void> {
  try {
    await load();
  } catch {}
}
`;
const NAMELESS_SUPPRESSION = `// hardening-ignore-next-line
export const answer = 42;
`;
const CLEAN = `export function add(a: number, b: number): number {
  return a + b;
}
`;

describe('harden audit', function () {
  let project: TempProject;
  before(() => {
    project = new TempProject({
      'package.json': '{ "name": "jobs", "private": true }\n',
      'src/jobs.ts': SWALLOWING_JOB,
      'src/notes.ts': NAMELESS_SUPPRESSION,
      'src/math.ts': CLEAN,
      'README.md': '# jobs\n',
    });
  });
  after(() => project.dispose());

  describe('text report', () => {
    it('prints one `path:line:col  severity  rule-id  message` line per finding, then a summary; warnings alone exit 0', () => {
      const run = project.run('audit');
      assert.equal(run.code, 0, run.stderr);
      const lines = findingLines(run.stdout);
      assert.deepEqual(
        lines.map((l) => [l.file, l.line, l.column, l.severity, l.ruleId]),
        [
          ['src/jobs.ts', 4, 5, 'warning', 'swallowed-error'],
          ['src/notes.ts', 1, 1, 'warning', 'invalid-suppression'],
        ],
      );
      const warnings = lines.length;
      assert.match(run.stdout, new RegExp(`${warnings} problems? \\(0 errors, ${warnings} warnings?, 0 infos\\) in ${warnings} files?; 3 files audited`));
      assert.ok(!run.stdout.includes('\x1b['), 'NO_COLOR output has escape codes');
      assert.equal(run.stderr, '', 'no progress or notes on a non-TTY stderr');
    });

    it('names files relative to the working directory', () => {
      const parent = path.dirname(project.dir);
      const name = path.basename(project.dir);
      const run = harden(['audit', name], parent);
      const files = findingLines(run.stdout).map((l) => l.file);
      assert.ok(files.length > 0);
      for (const f of files) assert.ok(f.startsWith(`${name}/src/`), f);
    });

    it('audits single files and says why a named file is not analysed', () => {
      const run = project.run('audit', 'src/notes.ts', 'README.md');
      assert.deepEqual(
        findingLines(run.stdout).map((l) => l.file),
        ['src/notes.ts'],
      );
      assert.match(run.stdout, /1 file skipped:\n {2}README\.md: not a TypeScript or JavaScript source file/);
    });
  });

  describe('exit codes', () => {
    const cases: [string, string[], number][] = [
      ['--fail-on warning fails on warnings', ['--fail-on', 'warning'], 1],
      ['--fail-on none never fails', ['--fail-on', 'none'], 0],
      ['--max-warnings 0 fails with warnings', ['--max-warnings', '0'], 1],
      ['--quiet hides warnings, so --fail-on warning passes', ['--quiet', '--fail-on', 'warning'], 0],
    ];
    for (const [what, args, code] of cases) {
      it(what, () => {
        const run = project.run('audit', ...args);
        assert.equal(run.code, code, run.stdout + run.stderr);
        if (args.includes('--quiet')) assert.deepEqual(findingLines(run.stdout), []);
      });
    }

    it('a clean project exits 0 even with --fail-on info', () => {
      const clean = new TempProject({ 'src/math.ts': CLEAN });
      try {
        const run = clean.run('audit', '--fail-on', 'info');
        assert.equal(run.code, 0);
        assert.match(run.stdout, /No problems \(1 file audited\)/);
      } finally {
        clean.dispose();
      }
    });
  });

  describe('--rule', () => {
    it('keeps only the named rules (commas and repeats both work)', () => {
      const run = project.run('audit', '--rule', 'invalid-suppression,unused-suppression', '--rule', 'skipped-file', '--fail-on', 'warning');
      assert.equal(run.code, 1);
      assert.deepEqual(new Set(findingLines(run.stdout).map((l) => l.ruleId)), new Set(['invalid-suppression']));
    });

    it('runs only the named catalogue rule', function () {
      const run = project.run('audit', '--rule', 'swallowed-error');
      assert.deepEqual(
        findingLines(run.stdout).map((l) => `${l.file}:${l.ruleId}`),
        ['src/jobs.ts:swallowed-error'],
      );
    });
  });

  describe('--format json', () => {
    let run: CliRun;
    before(() => {
      run = project.run('audit', '--format', 'json');
    });

    it('has the documented shape, with 1-based positions and relative paths', () => {
      assert.equal(run.code, 0);
      const report = JSON.parse(run.stdout);
      assert.deepEqual(Object.keys(report), ['version', 'tool', 'baseDir', 'roots', 'files', 'findings', 'endpoints', 'skipped', 'ruleFailures', 'projectProblems', 'summary']);
      assert.equal(report.version, 1);
      assert.equal(report.tool.name, 'production-hardening');
      assert.equal(report.baseDir, project.dir);
      assert.deepEqual(report.roots, ['']);
      assert.deepEqual(report.files, ['src/jobs.ts', 'src/math.ts', 'src/notes.ts']);
      const suppression = report.findings.find((f: { ruleId: string }) => f.ruleId === 'invalid-suppression');
      assert.deepEqual(Object.keys(suppression), [
        'ruleId', 'category', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn',
        'cwe', 'docsUrl', 'fingerprint', 'fixable', 'related', 'concerns',
      ]);
      assert.deepEqual(
        { ...suppression, message: undefined, fingerprint: undefined, docsUrl: undefined },
        {
          ruleId: 'invalid-suppression', category: 'meta', severity: 'warning', message: undefined, file: 'src/notes.ts',
          line: 1, column: 1, endLine: 1, endColumn: 30, cwe: [], docsUrl: undefined, fingerprint: undefined, fixable: false, related: [], concerns: [],
        },
      );
      assert.match(suppression.fingerprint, /^[0-9a-f]{32}$/);
      assert.match(suppression.docsUrl, /^file:\/\/.*\/rules\/meta\/invalid-suppression\.md$/);
      const swallowed = report.findings.find((f: { ruleId: string }) => f.ruleId === 'swallowed-error');
      assert.deepEqual([swallowed.file, swallowed.line, swallowed.cwe, swallowed.category], ['src/jobs.ts', 4, ['CWE-390'], 'observability']);
      assert.deepEqual(report.summary, {
        files: 3, findings: report.findings.length, errors: 0, warnings: report.findings.length, infos: 0, skipped: 0, ruleFailures: 0,
      });
      assert.deepEqual([report.skipped, report.ruleFailures, report.projectProblems], [[], [], []]);
      assert.equal(run.stderr.trim().split('\n').length, 1, 'the summary goes to stderr');
    });

    it('is deterministic: the same project gives the same report', () => {
      assert.equal(project.run('audit', '--format', 'json').stdout, run.stdout);
    });
  });

  describe('--format sarif', () => {
    let log: sarif.Log;
    before(() => {
      const run = project.run('audit', '--format', 'sarif');
      assert.equal(run.code, 0, run.stderr);
      log = JSON.parse(run.stdout);
    });

    it('validates against the official SARIF 2.1.0 schema', () => {
      assert.deepEqual(sarifSchemaErrors(log), []);
      assert.equal(log.version, '2.1.0');
      assert.equal(log.runs.length, 1);
    });

    it('describes every rule that can report, with help, CWE tags and default levels', () => {
      const { driver } = log.runs[0].tool;
      assert.equal(driver.name, 'production-hardening');
      assert.equal(driver.semanticVersion, driver.version);
      const rules = driver.rules ?? [];
      assert.deepEqual(
        rules.map((r) => r.id),
        [...ALL_RULES, ...META_RULES].map((r) => r.id),
      );
      for (const [i, rule] of [...ALL_RULES, ...META_RULES].entries()) {
        const d = rules[i];
        assert.equal(d.name, rule.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()));
        assert.equal(d.shortDescription?.text, rule.description);
        assert.ok(d.fullDescription?.text, `${rule.id}: no fullDescription`);
        if (fs.existsSync(docsPath(rule))) {
          assert.ok(d.help?.text && d.help.markdown, `${rule.id}: help should come from its Markdown docs`);
          assert.ok(!d.help.markdown.startsWith('---'), 'front matter left in the help');
          assert.notEqual(d.fullDescription?.text, rule.description, `${rule.id}: fullDescription only repeats the description`);
        } else {
          assert.deepEqual(d.help, { text: rule.description }, `${rule.id}: without docs the help is the description`);
        }
        assert.match(d.helpUri ?? '', /^file:\/\//);
        assert.equal(d.defaultConfiguration?.level, rule.defaultSeverity === 'info' ? 'note' : rule.defaultSeverity);
        const tags = d.properties?.tags ?? [];
        assert.ok(tags.includes(rule.category), `${rule.id}: no category tag`);
        for (const cwe of rule.cwe) assert.ok(tags.includes(`CWE-${cwe}`), `${rule.id}: no CWE-${cwe} tag`);
        if (rule.category === 'security') assert.ok(d.properties?.['security-severity'], `${rule.id}: no security-severity`);
        assert.equal(d.properties?.precision, 'high');
      }
    });

    it('gives results with rule indexes, relative locations, utf-16 columns and fingerprints', () => {
      const run = log.runs[0];
      assert.equal(run.columnKind, 'utf16CodeUnits');
      assert.deepEqual(run.originalUriBaseIds, { SRCROOT: { uri: `${pathToUri(project.dir)}/` } });
      const results = run.results ?? [];
      assert.ok(results.length > 0);
      for (const r of results) {
        assert.equal(run.tool.driver.rules?.[r.ruleIndex ?? -1]?.id, r.ruleId);
        const loc = r.locations?.[0]?.physicalLocation;
        assert.equal(loc?.artifactLocation?.uriBaseId, 'SRCROOT');
        assert.ok(!path.isAbsolute(loc?.artifactLocation?.uri ?? '/'));
        assert.match(r.partialFingerprints?.['hardeningFingerprint/v1'] ?? '', /^[0-9a-f]{32}$/);
      }
      const suppression = results.find((r) => r.ruleId === 'invalid-suppression');
      assert.equal(suppression?.level, 'warning');
      assert.deepEqual(suppression?.locations?.[0]?.physicalLocation?.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 30 });
      assert.deepEqual(run.invocations, [{ executionSuccessful: true }]);
    });
  });

  describe('--output', () => {
    it('writes the report to the file and the summary to stderr', () => {
      const run = project.run('audit', '--format', 'sarif', '--output', 'reports/harden.sarif', '--fail-on', 'warning');
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /problems? \(0 errors/);
      const log = JSON.parse(fs.readFileSync(project.path('reports/harden.sarif'), 'utf8'));
      assert.deepEqual(sarifSchemaErrors(log), []);
    });

    it('writes a text report without colour even when asked to the terminal', () => {
      const run = project.run('audit', '--output', 'report.txt');
      assert.equal(run.stdout, '');
      const text = fs.readFileSync(project.path('report.txt'), 'utf8');
      assert.ok(findingLines(text).length > 0);
      assert.ok(!text.includes('\x1b['));
    });
  });

  describe('an error-level finding with a data path (sql-injection)', () => {
    let api: TempProject;
    let json: CliRun;
    before(function () {
      api = new TempProject(
        {
          'package.json': '{ "name": "api", "private": true, "dependencies": { "express": "^5.1.0", "pg": "^8.16.0" } }\n',
          'src/users.ts': `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
export const app = express();

app.get('/users', async (req, res) => {
  const name = String(req.query.name);
  const { rows } = await pool.query(\`SELECT * FROM users WHERE name = '\${name}'\`);
  res.json(rows);
});

app.get('/reports', async (req, res) => {
  const owner = String(req.query.owner);
  // hardening-ignore-next-line sql-injection -- reports run against a read-only replica with a sandboxed role
  const { rows } = await pool.query(\`SELECT * FROM reports WHERE owner = '\${owner}'\`);
  res.json(rows);
});
`,
        },
        { withNodeModules: true },
      );
      json = api.run('audit', '--format', 'json', '--rule', 'sql-injection');
    });
    after(() => api?.dispose());

    it('fails the run under the default --fail-on error, and honours a suppression with a reason', () => {
      assert.equal(json.code, 1, json.stderr);
      const report = JSON.parse(json.stdout);
      assert.deepEqual(
        report.findings.map((f: { file: string; line: number; severity: string }) => [f.file, f.line, f.severity]),
        [['src/users.ts', 9, 'error']],
      );
      const [finding] = report.findings;
      assert.deepEqual(finding.cwe, ['CWE-89']);
      assert.ok(finding.related.length > 0, 'the finding should say where the data came from');
      assert.equal(finding.related[0].file, 'src/users.ts');
    });

    it('gives SARIF related locations and a code flow ending at the sink', () => {
      const log: sarif.Log = JSON.parse(api.run('audit', '--format', 'sarif', '--rule', 'sql-injection').stdout);
      assert.deepEqual(sarifSchemaErrors(log), []);
      const [result] = log.runs[0].results ?? [];
      assert.equal(result.level, 'error');
      assert.equal(result.relatedLocations?.[0].id, 1);
      const flow = result.codeFlows?.[0].threadFlows[0].locations ?? [];
      assert.equal(flow.length, (result.relatedLocations?.length ?? 0) + 1);
      assert.deepEqual(flow.at(-1)?.location?.physicalLocation?.region, result.locations?.[0].physicalLocation?.region);
      const rule = log.runs[0].tool.driver.rules?.[result.ruleIndex ?? -1];
      assert.equal(rule?.id, 'sql-injection');
      assert.ok(rule?.properties?.tags?.includes('CWE-89'));
      assert.ok(rule?.properties?.tags?.includes('security'));
    });
  });

  describe('skipped files', () => {
    let big: TempProject;
    before(() => {
      big = new TempProject({
        '.hardening.json': '{ "maxFileSizeKb": 1 }\n',
        'src/small.ts': CLEAN,
        'src/generated.ts': `export const table = [\n${'  "0123456789abcdef0123456789abcdef",\n'.repeat(60)}];\n`,
      });
    });
    after(() => big.dispose());

    it('are listed in the summary, the JSON report and SARIF notifications, without failing the run', () => {
      const text = big.run('audit');
      assert.equal(text.code, 0);
      assert.match(text.stdout, /1 file skipped:\n {2}src\/generated\.ts: file is .* over the 1 KB limit/);
      const report = JSON.parse(big.run('audit', '--format', 'json').stdout);
      assert.deepEqual(
        report.skipped.map((s: { file: string }) => s.file),
        ['src/generated.ts'],
      );
      assert.equal(report.summary.skipped, 1);
      const log: sarif.Log = JSON.parse(big.run('audit', '--format', 'sarif').stdout);
      assert.deepEqual(sarifSchemaErrors(log), []);
      const notes = log.runs[0].invocations?.[0].toolExecutionNotifications ?? [];
      assert.equal(notes.length, 1);
      assert.equal(notes[0].locations?.[0].physicalLocation?.artifactLocation?.uri, 'src/generated.ts');
      assert.equal(notes[0].associatedRule?.id, 'skipped-file');
    });
  });
});
