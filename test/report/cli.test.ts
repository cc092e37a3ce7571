// `harden audit --format html|markdown` on examples/vulnerable-api, run as users run
// it: the report on stdout (or in --output), the summary on stderr, the exit code of
// the findings, paths relative to the report base, and the endpoint matrix built from
// the inventory with the findings inside each handler.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { harden, REPO_ROOT, type CliRun } from '../cli/cli-support';

const APP = 'examples/vulnerable-api';

/** The `<td>` states of a matrix row, by control. */
function rowStates(html: string, key: string): Record<string, string> {
  const row = new RegExp(`<tr data-endpoint="${key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}">(.*?)</tr>`, 's').exec(html)?.[1];
  assert.ok(row, `a row for ${key}`);
  return Object.fromEntries([...row.matchAll(/<td data-control="(\w+)" data-state="(\w+)"/g)].map((m) => [m[1], m[2]]));
}

describe(`harden audit ${APP} --format html|markdown`, function () {
  let html: CliRun;
  let markdown: CliRun;
  let outputDir: string;
  let written: CliRun;

  before(() => {
    html = harden(['audit', APP, '--format', 'html'], REPO_ROOT);
    markdown = harden(['audit', APP, '--format', 'markdown'], REPO_ROOT);
    outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-report-'));
    written = harden(['audit', APP, '--format', 'html', '--output', path.join(outputDir, 'report.html')], REPO_ROOT);
  });
  after(() => fs.rmSync(outputDir, { recursive: true, force: true }));

  it('writes a self-contained HTML page on stdout, the summary on stderr, and fails on the app`s errors', () => {
    assert.equal(html.code, 1, html.stderr);
    assert.ok(html.stdout.startsWith('<!DOCTYPE html>'));
    assert.ok(html.stdout.includes('<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;'));
    assert.ok(html.stdout.includes('<h1>Production readiness: <span class="verdict v-blocking">Blocking</span></h1>'));
    assert.ok(!/<(?:link|img|iframe)\b|\ssrc=/.test(html.stdout), 'loads nothing from outside');
    assert.match(html.stderr, /\d+ problems? \(2 errors/);
  });

  it('names files relative to the report base and links them with vscode://file', () => {
    const users = path.join(REPO_ROOT, APP, 'src/routes/users.ts').replace(/\\/g, '/');
    assert.ok(html.stdout.includes(`<span class="path">${APP}/src/routes/users.ts:12:37</span>`));
    assert.ok(html.stdout.includes(`href="vscode://file${users.startsWith('/') ? '' : '/'}${encodeURI(users)}:12:37"`));
  });

  it('fills the endpoint matrix: validation fails where missing-input-validation is inside the handler', () => {
    assert.ok(html.stdout.includes('<table id="endpoint-matrix">'));
    const keys = [...html.stdout.matchAll(/<tr data-endpoint="([^"]+)">/g)].map((m) => m[1]);
    for (const key of ['GET /users/search', 'POST /users', 'GET /admin/users', 'GET /users/by-email', 'POST /checkout']) assert.ok(keys.includes(key), `${key} in ${keys.join(', ')}`);
    assert.equal(rowStates(html.stdout, 'POST /users').validation, 'fail');
    assert.equal(rowStates(html.stdout, 'GET /users/search').validation, 'fail');
    // The hardened route validates its body.
    assert.notEqual(rowStates(html.stdout, 'POST /checkout').validation, 'fail');
    for (const key of keys) assert.deepEqual(Object.keys(rowStates(html.stdout, key)), ['authentication', 'validation', 'rateLimiting', 'errorHandling', 'pagination', 'timeouts']);
  });

  it('writes the same report to --output, with the summary on stderr', () => {
    assert.equal(written.code, 1);
    assert.equal(written.stdout, '');
    const file = fs.readFileSync(path.join(outputDir, 'report.html'), 'utf8');
    assert.ok(file.includes('<table id="endpoint-matrix">'));
    assert.match(written.stderr, /problems?/);
  });

  it('renders Markdown with the verdict, the category table and the matrix in symbols', () => {
    assert.equal(markdown.code, 1);
    const md = markdown.stdout;
    assert.ok(md.startsWith('# Production readiness: Blocking\n'));
    assert.ok(md.includes('| Security | Blocking | 2 | 2 | 0 | 4 |'));
    const row = md.split('\n').find((l) => l.startsWith('| `POST /users` '));
    assert.ok(row, 'the POST /users row');
    const cells = row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    assert.equal(cells.length, 8);
    assert.ok(cells[3].startsWith('[❌](examples/vulnerable-api/src/routes/users.ts#L18 '), cells[3]);
    assert.ok(md.includes(`| error | sql-injection | [${APP}/src/routes/users.ts:12:37](${APP}/src/routes/users.ts#L12) |`));
  });
});
