// The report formats on a hand-made audit result, so the parts no rule exercises
// yet (related locations, code flows, rule failures, files outside the working
// directory) are pinned down independently of the catalogue.
import * as assert from 'node:assert/strict';
import type * as sarif from 'sarif';
import { createColors } from 'picocolors';
import type { AuditResult } from '../../server/src/cli/audit';
import { jsonReport } from '../../server/src/cli/formats/json';
import { reportBase } from '../../server/src/cli/formats/paths';
import { sarifLog } from '../../server/src/cli/formats/sarif';
import { formatFindings, formatSummary } from '../../server/src/cli/formats/text';
import type { Finding, Range } from '../../server/src/engine/finding';
import { sarifSchemaErrors } from './cli-support';

const ROOT = '/work/app';

function range(line: number, character: number, endCharacter: number): Range {
  return { start: { line, character }, end: { line, character: endCharacter } };
}

function finding(over: Partial<Finding> & Pick<Finding, 'ruleId' | 'fileName' | 'range'>): Finding {
  return {
    category: 'security',
    severity: 'error',
    message: 'message',
    start: 0,
    end: 1,
    cwe: [],
    docsUrl: 'file:///docs/rule.md',
    related: [],
    fingerprint: '0123456789abcdef0123456789abcdef',
    ...over,
  };
}

const tainted = finding({
  ruleId: 'sql-injection',
  cwe: [89],
  fileName: `${ROOT}/src/routes/users.ts`,
  range: range(11, 35, 90),
  message: '`req.query.name` reaches `pool.query` unparameterised: pass it as a `$1` parameter.',
  related: [
    { fileName: `${ROOT}/src/routes/users.ts`, range: range(10, 15, 29), message: '`req.query.name` enters here', step: true },
    { fileName: `${ROOT}/src/sql.ts`, range: range(3, 2, 20), message: 'concatenated into the SQL text here', step: true },
  ],
  fixes: () => [],
});
const swallowed = finding({
  ruleId: 'swallowed-error',
  category: 'observability',
  severity: 'warning',
  fileName: `${ROOT}/src/jobs.ts`,
  range: range(3, 4, 12),
  message: 'The error caught in `refresh` is discarded: log it or rethrow it.',
  fingerprint: 'fedcba9876543210fedcba9876543210',
});

const result: AuditResult = {
  roots: [ROOT],
  files: [`${ROOT}/src/big.min.js`, `${ROOT}/src/jobs.ts`, `${ROOT}/src/routes/users.ts`, `${ROOT}/src/sql.ts`],
  findings: [swallowed, tainted],
  skipped: [{ file: `${ROOT}/src/big.min.js`, reason: 'file looks minified or generated (very long lines)' }],
  ruleFailures: [{ ruleId: 'swallowed-error', file: `${ROOT}/src/sql.ts`, message: 'Cannot read properties of undefined' }],
  projectProblems: [{ file: `${ROOT}/tsconfig.json`, message: "File '../base.json' not found." }],
};

describe('report formats', () => {
  describe('SARIF', () => {
    const log = sarifLog(result, ROOT);
    const run = log.runs[0];
    const results = run.results ?? [];

    it('validates against the official schema', () => {
      assert.deepEqual(sarifSchemaErrors(log), []);
    });

    it('gives related locations with ids and messages', () => {
      const r = results[1];
      assert.deepEqual(r.relatedLocations, [
        {
          id: 1,
          message: { text: '`req.query.name` enters here' },
          physicalLocation: { artifactLocation: { uri: 'src/routes/users.ts', uriBaseId: 'SRCROOT' }, region: { startLine: 11, startColumn: 16, endLine: 11, endColumn: 30 } },
        },
        {
          id: 2,
          message: { text: 'concatenated into the SQL text here' },
          physicalLocation: { artifactLocation: { uri: 'src/sql.ts', uriBaseId: 'SRCROOT' }, region: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 21 } },
        },
      ]);
    });

    it('shows the data path as one thread flow from source to sink', () => {
      const flow = results[1].codeFlows?.[0].threadFlows[0].locations ?? [];
      assert.deepEqual(
        flow.map((l: sarif.ThreadFlowLocation) => [l.location?.physicalLocation?.artifactLocation?.uri, l.location?.physicalLocation?.region?.startLine, l.location?.message?.text]),
        [
          ['src/routes/users.ts', 11, '`req.query.name` enters here'],
          ['src/sql.ts', 4, 'concatenated into the SQL text here'],
          ['src/routes/users.ts', 12, tainted.message],
        ],
      );
      assert.equal(results[0].codeFlows, undefined, 'no code flow without related locations');
      assert.equal(results[0].relatedLocations, undefined);
    });

    it('keeps evidence (a declaration, a schema) as related locations without a code flow', () => {
      const unindexed = finding({
        ruleId: 'unindexed-query',
        category: 'performance',
        severity: 'warning',
        fileName: `${ROOT}/src/users.ts`,
        range: range(5, 2, 30),
        message: '`prisma.user.findMany` filters on `User.email`, which `schema.prisma` does not index: add `@@index([email])`.',
        related: [{ fileName: `${ROOT}/prisma/schema.prisma`, range: range(9, 0, 10), message: '`User` is declared here', step: false }],
      });
      const [r] = sarifLog({ ...result, findings: [unindexed], skipped: [], ruleFailures: [], projectProblems: [] }, ROOT).runs[0].results ?? [];
      assert.equal(r.relatedLocations?.length, 1);
      assert.equal(r.codeFlows, undefined);
    });

    it('reports skipped files, rule failures and unreadable tsconfigs as notifications', () => {
      const notes = run.invocations?.[0].toolExecutionNotifications ?? [];
      assert.deepEqual(
        notes.map((n) => [n.level, n.locations?.[0].physicalLocation?.artifactLocation?.uri, n.associatedRule?.id]),
        [
          ['note', 'src/big.min.js', 'skipped-file'],
          ['error', 'src/sql.ts', 'swallowed-error'],
          ['warning', 'tsconfig.json', undefined],
        ],
      );
      assert.match(notes[1].message.text ?? '', /^Rule swallowed-error failed on src\/sql\.ts: Cannot read properties of undefined$/);
      assert.equal(run.invocations?.[0].executionSuccessful, true);
    });

    it('keeps the finding fingerprint as a partial fingerprint', () => {
      assert.deepEqual(
        results.map((r) => r.partialFingerprints),
        [{ 'hardeningFingerprint/v1': swallowed.fingerprint }, { 'hardeningFingerprint/v1': tainted.fingerprint }],
      );
    });
  });

  describe('JSON', () => {
    it('gives related locations 1-based and relative', () => {
      const report = jsonReport(result, ROOT);
      assert.deepEqual(report.findings[1].related, [
        { file: 'src/routes/users.ts', line: 11, column: 16, endLine: 11, endColumn: 30, message: '`req.query.name` enters here', step: true },
        { file: 'src/sql.ts', line: 4, column: 3, endLine: 4, endColumn: 21, message: 'concatenated into the SQL text here', step: true },
      ]);
      assert.deepEqual(report.findings[1].cwe, ['CWE-89']);
      assert.equal(report.findings[1].fixable, true);
      assert.deepEqual(report.ruleFailures, [{ ruleId: 'swallowed-error', file: 'src/sql.ts', message: 'Cannot read properties of undefined' }]);
      assert.deepEqual(report.summary, { files: 4, findings: 2, errors: 1, warnings: 1, infos: 0, skipped: 1, ruleFailures: 1 });
    });
  });

  describe('text', () => {
    const plain = createColors(false);

    it('aligns the columns and separates files by a blank line', () => {
      assert.equal(
        formatFindings(result, ROOT, plain),
        [
          'src/jobs.ts:4:5            warning  swallowed-error  The error caught in `refresh` is discarded: log it or rethrow it.',
          '',
          'src/routes/users.ts:12:36  error    sql-injection    `req.query.name` reaches `pool.query` unparameterised: pass it as a `$1` parameter.',
          '',
        ].join('\n'),
      );
    });

    it('summarises counts, skipped files and rule failures', () => {
      assert.equal(
        formatSummary(result, ROOT, plain),
        [
          '✖ 2 problems (1 error, 1 warning, 0 infos) in 2 files; 4 files audited',
          '1 file skipped:',
          '  src/big.min.js: file looks minified or generated (very long lines)',
          '1 rule failure (details on stderr)',
          '',
        ].join('\n'),
      );
    });

    it('names files outside the working directory relative to it', () => {
      assert.match(formatFindings(result, '/work/other', plain), /^\.\.\/app\/src\/jobs\.ts:4:5 /);
    });
  });

  describe('report base directory', () => {
    it('is the working directory when it holds every file, else the common folder of the roots', () => {
      assert.equal(reportBase('/work', [ROOT], result.files), '/work');
      assert.equal(reportBase('/elsewhere', ['/work/app', '/work/lib'], []), '/work');
      assert.equal(reportBase('/elsewhere', ['/work/app'], []), '/work/app');
    });
  });
});
