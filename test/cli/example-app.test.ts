// examples/vulnerable-api audited as a user would: each of the first rules fires
// where the app has the mistake, and the hardened code beside it stays silent.
// Expectations for a rule apply once that rule is registered.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonFinding, JsonReport } from '../../server/src/cli/formats/json';
import { harden, REPO_ROOT, sarifSchemaErrors } from './cli-support';

const APP = 'examples/vulnerable-api';

/** 1-based line of the first line of `file` containing `snippet`. */
function lineOf(file: string, snippet: string): number {
  const lines = fs.readFileSync(path.join(REPO_ROOT, APP, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(snippet));
  assert.ok(i >= 0, `${snippet} not found in ${file}`);
  return i + 1;
}

/** Where each mistake is: the rule must report on (or, for a multi-line construct, within) these lines. */
const MISTAKES: { ruleId: string; file: string; snippet: string; span?: number }[] = [
  { ruleId: 'sql-injection', file: 'src/routes/users.ts', snippet: "ILIKE '%${name}%'" },
  { ruleId: 'sql-injection', file: 'src/routes/users.ts', snippet: "ORDER BY ' + sort" },
  { ruleId: 'missing-input-validation', file: 'src/routes/users.ts', snippet: "users.post('/users'", span: 5 },
  { ruleId: 'unguarded-external-call', file: 'src/services/payment-client.ts', snippet: 'await axios.post<Charge>(' },
  { ruleId: 'unguarded-external-call', file: 'src/services/payment-client.ts', snippet: 'await fetch(`${PAYMENTS_URL}/v1/shipments`' },
  { ruleId: 'unindexed-query', file: 'src/services/user-service.ts', snippet: 'prisma.user.findMany({ where: { email }, take: 20 })' },
  { ruleId: 'swallowed-error', file: 'src/jobs/cleanup.ts', snippet: '} catch {}', span: 0 },
  { ruleId: 'missing-security-headers', file: 'src/server.ts', snippet: 'express()' },
  { ruleId: 'missing-error-middleware', file: 'src/server.ts', snippet: 'express()' },
  { ruleId: 'missing-health-check', file: 'src/server.ts', snippet: 'express()' },
  { ruleId: 'missing-process-handlers', file: 'src/server.ts', snippet: '.listen(' },
  { ruleId: 'missing-rate-limit', file: 'src/server.ts', snippet: 'express()' },
  { ruleId: 'missing-error-tracking', file: 'src/server.ts', snippet: '.listen(' },
];

/** Hardened code: no finding of any rule from this line of the file on (to the end, or `to`). */
const SILENT: { file: string; from?: string; to?: string }[] = [
  { file: 'src/routes/orders.ts' },
  { file: 'src/routes/payments.ts' },
  { file: 'src/validation.ts' },
  { file: 'src/logger.ts' },
  { file: 'src/db.ts' },
  { file: 'src/services/payment-client.ts', from: 'export async function fraudScore' },
  { file: 'src/services/user-service.ts', from: 'export async function findUser(' },
  { file: 'src/jobs/cleanup.ts', from: 'export async function archiveOldOrders' },
];

describe(`harden audit ${APP}`, function () {
  let report: JsonReport;
  let exitCode: number | null;
  before(() => {
    const run = harden(['audit', APP, '--format', 'json'], REPO_ROOT);
    exitCode = run.code;
    report = JSON.parse(run.stdout);
  });

  const at = (f: JsonFinding) => `${f.file}:${f.line} ${f.ruleId}`;

  it('audits the app`s ten source files without rule failures', () => {
    assert.equal(report.files.length, 10);
    assert.ok(report.files.every((f) => f.startsWith(`${APP}/src/`)));
    assert.deepEqual(report.ruleFailures, []);
    assert.deepEqual(report.skipped, []);
  });

  for (const m of MISTAKES) {
    it(`${m.ruleId} reports ${m.file}: ${m.snippet}`, function () {
      const line = lineOf(m.file, m.snippet);
      const hit = report.findings.find(
        (f) => f.ruleId === m.ruleId && f.file === `${APP}/${m.file}` && f.line >= line && f.line <= line + (m.span ?? 0),
      );
      assert.ok(hit, `expected ${m.ruleId} at ${m.file}:${line}; got:\n${report.findings.map(at).join('\n')}`);
    });
  }

  for (const s of SILENT) {
    it(`stays silent on the hardened code of ${s.file}${s.from ? ` from \`${s.from}\`` : ''}`, () => {
      const from = s.from ? lineOf(s.file, s.from) : 1;
      const noisy = report.findings.filter((f) => f.file === `${APP}/${s.file}` && f.line >= from);
      assert.deepEqual(noisy.map(at), []);
    });
  }

  it('fails the run (exit 1) once an error-level rule reports, and passes otherwise', () => {
    assert.equal(exitCode, report.summary.errors > 0 ? 1 : 0);
  });

  it('gives valid SARIF with the fingerprints of the JSON report', () => {
    const run = harden(['audit', APP, '--format', 'sarif'], REPO_ROOT);
    const log = JSON.parse(run.stdout);
    assert.deepEqual(sarifSchemaErrors(log), []);
    const fingerprints = (log.runs[0].results as { partialFingerprints: Record<string, string> }[]).map((r) => r.partialFingerprints['hardeningFingerprint/v1']);
    assert.deepEqual(fingerprints, report.findings.map((f) => f.fingerprint));
  });
});
