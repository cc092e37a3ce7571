// buildReport: the endpoint matrix overlay (which finding turns which column red),
// the verdict per category, top files, and that the result is plain JSON.
import * as assert from 'node:assert/strict';
import { buildReport, VERDICT_RULE, type MatrixRow } from '../../server/src/report/model';
import { endpoint, finding, input, ofSeverity, PAYMENTS, range, ROOT, USERS } from './report-fixtures';

const TIMEOUT = '`axios.get` to an external service has no timeout: set `timeout` on the call or on the axios instance, so a hung upstream cannot hold the request and its socket.';
const UNHANDLED = 'The failure of `fetch` to an external service reaches `getUser` unhandled: catch it there, since Express 4 does not pass rejected promises to `next`.';
const BOTH = '`fetch` to an external service has no timeout and its failure reaches `getUser` unhandled: add a timeout and handle the error.';

function onlyRow(rows: readonly MatrixRow[]): MatrixRow {
  assert.equal(rows.length, 1);
  return rows[0];
}

describe('report model: endpoint matrix overlay', () => {
  it('turns the validation column red for missing-input-validation inside the handler, with the finding`s location and fingerprint', () => {
    const f = finding({ ruleId: 'missing-input-validation', category: 'validation', range: range(12, 20) });
    const row = onlyRow(buildReport(input({ findings: [f], endpoints: [endpoint()] })).matrix.rows);
    assert.equal(row.key, 'GET /users/:id');
    assert.deepEqual(row.controls.validation, {
      state: 'fail',
      note: f.message,
      location: { fileName: USERS, range: f.range },
      fingerprints: [f.fingerprint],
    });
    // Untouched columns keep what the inventory said.
    assert.equal(row.controls.authentication.state, 'ok');
    assert.equal(row.controls.authentication.note, 'requireAuth runs first');
    assert.equal(row.controls.errorHandling.state, 'warn');
  });

  it('maps swallowed-error to error handling, and unguarded-external-call by what each finding says is missing', () => {
    const findings = [
      finding({ ruleId: 'swallowed-error', category: 'observability', range: range(11, 4) }),
      finding({ ruleId: 'unguarded-external-call', category: 'error-handling', range: range(13, 4), message: TIMEOUT, concerns: ['timeouts'] }),
    ];
    const row = onlyRow(buildReport(input({ findings, endpoints: [endpoint()] })).matrix.rows);
    assert.equal(row.controls.errorHandling.state, 'fail');
    assert.deepEqual(row.controls.errorHandling.fingerprints, [findings[0].fingerprint]);
    assert.equal(row.controls.timeouts.state, 'fail');
    assert.deepEqual(row.controls.timeouts.fingerprints, [findings[1].fingerprint]);

    const unhandled = finding({ ruleId: 'unguarded-external-call', category: 'error-handling', range: range(14, 4), message: UNHANDLED, concerns: ['errorHandling'] });
    const r2 = onlyRow(buildReport(input({ findings: [unhandled], endpoints: [endpoint()] })).matrix.rows);
    assert.equal(r2.controls.errorHandling.state, 'fail');
    assert.equal(r2.controls.timeouts.state, 'warn');

    const both = finding({ ruleId: 'unguarded-external-call', category: 'error-handling', range: range(14, 4), message: BOTH, concerns: ['timeouts', 'errorHandling'] });
    const r3 = onlyRow(buildReport(input({ findings: [both], endpoints: [endpoint()] })).matrix.rows);
    assert.equal(r3.controls.errorHandling.state, 'fail');
    assert.equal(r3.controls.timeouts.state, 'fail');
  });

  it('lists every finding of a column and notes how many more there are', () => {
    const a = finding({ ruleId: 'swallowed-error', category: 'observability', range: range(11, 4), message: 'first' });
    const b = finding({ ruleId: 'swallowed-error', category: 'observability', range: range(15, 4), message: 'second' });
    const row = onlyRow(buildReport(input({ findings: [b, a], endpoints: [endpoint()] })).matrix.rows);
    assert.equal(row.controls.errorHandling.note, 'first (and 1 more)');
    assert.deepEqual(row.controls.errorHandling.fingerprints, [a.fingerprint, b.fingerprint]);
    assert.equal(row.controls.errorHandling.location?.range.start.line, 11);
  });

  it('leaves the row alone for findings outside the handler, in another file, or of rules that are no column', () => {
    const findings = [
      finding({ ruleId: 'missing-input-validation', category: 'validation', range: range(25, 0) }),
      finding({ ruleId: 'missing-input-validation', category: 'validation', range: range(10, 29) }),
      finding({ ruleId: 'swallowed-error', category: 'observability', fileName: PAYMENTS, range: range(12, 0) }),
      finding({ ruleId: 'sql-injection', severity: 'error', range: range(12, 0) }),
      finding({ ruleId: 'unindexed-query', category: 'performance', range: range(13, 0) }),
    ];
    const row = onlyRow(buildReport(input({ findings, endpoints: [endpoint()] })).matrix.rows);
    for (const id of ['validation', 'errorHandling', 'timeouts', 'rateLimiting', 'pagination'] as const) assert.equal(row.controls[id].state, 'warn', id);
  });

  it('fails error handling of the endpoint an unhandled external-call failure names as evidence, from a service elsewhere', () => {
    const viaService = finding({
      ruleId: 'unguarded-external-call',
      category: 'error-handling',
      range: range(40, 4),
      message: 'The failure of `fetch` to an external service reaches `getUser` unhandled through `loadUser`: catch it there, since Express 4 does not pass rejected promises to `next`.',
      concerns: ['errorHandling'],
      related: [{ fileName: USERS, range: range(10, 0, 20, 2), message: '`getUser` is an Express 4 handler: a rejected promise there is never answered', step: false }],
    });
    const timeoutElsewhere = finding({
      ruleId: 'unguarded-external-call',
      category: 'error-handling',
      range: range(44, 4),
      message: TIMEOUT, concerns: ['timeouts'],
      related: [{ fileName: USERS, range: range(10, 0, 20, 2), message: 'evidence', step: false }],
    });
    const row = onlyRow(buildReport(input({ findings: [viaService, timeoutElsewhere], endpoints: [endpoint()] })).matrix.rows);
    assert.equal(row.controls.errorHandling.state, 'fail');
    assert.deepEqual(row.controls.errorHandling.fingerprints, [viaService.fingerprint]);
    // The evidence says where a failure lands, not that this route's own calls lack a timeout.
    assert.equal(row.controls.timeouts.state, 'warn');
  });

  it('fails a column whose inventory cell points at code elsewhere that a finding of that column flags', () => {
    const call = range(40, 10, 40, 40);
    const row0 = endpoint({
      controls: {
        ...endpoint().controls,
        timeouts: { state: 'warn', note: '`axios.post` has no timeout', location: { fileName: PAYMENTS, range: call } },
        validation: { state: 'warn', note: 'elsewhere', location: { fileName: PAYMENTS, range: call } },
      },
    });
    const atCall = finding({ ruleId: 'unguarded-external-call', category: 'error-handling', fileName: PAYMENTS, range: range(40, 16), message: TIMEOUT, concerns: ['timeouts'] });
    const row = onlyRow(buildReport(input({ findings: [atCall], endpoints: [row0] })).matrix.rows);
    assert.equal(row.controls.timeouts.state, 'fail');
    assert.deepEqual(row.controls.timeouts.location, { fileName: PAYMENTS, range: atCall.range });
    // Only the finding's own columns: the validation cell pointing there stays as the inventory said.
    assert.equal(row.controls.validation.state, 'warn');
    // Another call in the same file, outside the pointed-at code, changes nothing.
    const elsewhere = finding({ ruleId: 'unguarded-external-call', category: 'error-handling', fileName: PAYMENTS, range: range(50, 2), message: TIMEOUT, concerns: ['timeouts'] });
    assert.equal(onlyRow(buildReport(input({ findings: [elsewhere], endpoints: [row0] })).matrix.rows).controls.timeouts.state, 'warn');
  });

  it('orders rows by path, then method', () => {
    const endpoints = [endpoint({ method: 'POST', path: '/users' }), endpoint({ method: 'GET', path: '/orders' }), endpoint({ method: 'GET', path: '/users' })];
    const keys = buildReport(input({ endpoints })).matrix.rows.map((r) => r.key);
    assert.deepEqual(keys, ['GET /orders', 'GET /users', 'POST /users']);
  });
});

describe('report model: summary', () => {
  it('gives each category its verdict by the documented rule, and the overall verdict as the worst', () => {
    const findings = [
      ofSeverity('error', 'security', USERS, 1),
      ofSeverity('warning', 'security', USERS, 2),
      ofSeverity('warning', 'observability', USERS, 3, 'swallowed-error'),
      ofSeverity('info', 'validation', USERS, 4, 'missing-input-validation'),
    ];
    const data = buildReport(input({ findings }));
    const verdicts = Object.fromEntries(data.categories.map((c) => [c.category, c.verdict]));
    assert.deepEqual(verdicts, {
      security: 'blocking',
      auth: 'not-checked',
      validation: 'ready',
      'error-handling': 'ready',
      performance: 'ready',
      'edge-cases': 'not-checked',
      observability: 'needs-work',
      compliance: 'not-checked',
    });
    assert.equal(data.verdict, 'blocking');
    assert.equal(data.verdictRule, VERDICT_RULE);
    assert.deepEqual(data.categories.find((c) => c.category === 'security')?.counts, { error: 1, warning: 1, info: 0 });
    assert.deepEqual(data.totals, { findings: 4, bySeverity: { error: 1, warning: 2, info: 1 }, byCategory: { security: 2, observability: 1, validation: 1 } });
  });

  it('is ready overall with only infos, and not checked when no rule ran', () => {
    assert.equal(buildReport(input({ findings: [ofSeverity('info', 'security', USERS, 1)] })).verdict, 'ready');
    assert.equal(buildReport(input({ checkedCategories: [] })).verdict, 'not-checked');
  });

  it('ranks top files by weight (error 10, warning 3, info 1), then by count, then by path', () => {
    const a = `${ROOT}/src/a.ts`;
    const b = `${ROOT}/src/b.ts`;
    const c = `${ROOT}/src/c.ts`;
    const d = `${ROOT}/src/d.ts`;
    const findings = [
      ofSeverity('error', 'security', a, 1), // a: 10
      ofSeverity('warning', 'security', b, 1), // b: 9 (three warnings)
      ofSeverity('warning', 'security', b, 2),
      ofSeverity('warning', 'security', b, 3),
      ofSeverity('warning', 'security', c, 1), // c: 9 (3 + six infos = 9, but more findings than b)
      ...[1, 2, 3, 4, 5, 6].map((l) => ofSeverity('info', 'security', c, l + 1)),
      ofSeverity('info', 'security', d, 1), // d: 1
    ];
    const top = buildReport(input({ findings })).topFiles;
    assert.deepEqual(
      top.map((t) => [t.fileName.slice(ROOT.length + 1), t.weight, t.total]),
      [
        ['src/a.ts', 10, 1],
        ['src/c.ts', 9, 7],
        ['src/b.ts', 9, 3],
        ['src/d.ts', 1, 1],
      ],
    );
  });

  it('lists skipped files and never counts the skipped-file meta finding', () => {
    const skippedFinding = finding({ ruleId: 'skipped-file', category: 'meta', severity: 'info', fileName: PAYMENTS, range: range(0, 0) });
    const data = buildReport(input({ findings: [skippedFinding], skipped: [{ file: PAYMENTS, reason: 'minified' }] }));
    assert.equal(data.totals.findings, 0);
    assert.deepEqual(data.findings, []);
    assert.deepEqual(data.skipped, [{ fileName: PAYMENTS, reason: 'minified' }]);
    assert.equal(data.filesAudited, 2);
  });

  it('is plain JSON: it survives a round trip unchanged and holds no fix closures', () => {
    const data = buildReport(input({ findings: [finding({ ruleId: 'missing-input-validation', category: 'validation', range: range(12, 0) })], endpoints: [endpoint()] }));
    assert.deepEqual(JSON.parse(JSON.stringify(data)), data);
    assert.equal('fixes' in data.findings[0], false);
  });
});
