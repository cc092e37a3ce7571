// The HTML report: CSP with a fresh nonce, escaping of everything from user code, the
// endpoint matrix's structure, and — in a real Chromium when one is installed — that
// the page runs under its own CSP, has no inline handlers, and that locations are
// reachable with Tab and open with Enter and Space.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { contentSecurityPolicy, renderHtml, renderNotice, vscodeFileUri } from '../../server/src/report/html';
import { escapeHtml } from '../../server/src/report/html-escape';
import { buildReport, type ReportData } from '../../server/src/report/model';
import { endpoint, finding, input, range, ROOT, USERS } from './report-fixtures';
import { CHROMIUM } from '../e2e/code-server';
import { skipWhenMissing } from '../support/editor-tools';


interface PageFacts {
  readonly scripts: number;
  readonly images: number;
  readonly handlers: string[];
  readonly failColour: string;
  readonly okColour: string;
  readonly heading: string | null;
  readonly rows: (string | null)[];
  readonly message: string;
  readonly code: number;
}
const HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>';

function report(): ReportData {
  const findings = [
    finding({ ruleId: 'missing-input-validation', category: 'validation', range: range(12, 4), message: `\`req.body\` ${HOSTILE} is used without validation.` }),
    finding({ ruleId: 'sql-injection', severity: 'error', range: range(30, 2), message: 'SQL built from `req.query.name`.' }),
  ];
  const hostileRoute = endpoint({ method: 'POST', path: `/x/"><svg onload=alert(2)>`, handler: { fileName: USERS, range: range(40, 0, 45, 1) } });
  return buildReport(input({ findings, endpoints: [endpoint(), hostileRoute] }));
}

describe('report html: markup', () => {
  it('has a strict CSP with a fresh nonce per render on its one style and one script', () => {
    const data = report();
    const a = renderHtml(data, { mode: 'export' });
    const b = renderHtml(data, { mode: 'export' });
    const nonceOf = (html: string) => /<script nonce="([^"]+)">/.exec(html)?.[1];
    const nonce = nonceOf(a);
    assert.ok(nonce && nonce.length >= 16, 'a long nonce');
    assert.notEqual(nonce, nonceOf(b));
    assert.ok(a.includes(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(nonce))}">`));
    assert.equal(contentSecurityPolicy('N'), "default-src 'none'; img-src data:; style-src 'nonce-N'; script-src 'nonce-N'; base-uri 'none'; form-action 'none'");
    assert.ok(a.includes(`<style nonce="${nonce}">`));
    assert.equal(a.match(/<script\b/g)?.length, 1);
    assert.equal(a.match(/<style\b/g)?.length, 1);
    assert.ok(!/\sstyle=/.test(a), 'no style attributes (the CSP would block them)');
  });

  it('adds the webview`s cspSource to styles and images only', () => {
    const html = renderHtml(report(), { mode: 'webview', nonce: 'abc', cspSource: 'https://*.vscode-cdn.net' });
    assert.ok(html.includes(escapeHtml("img-src data: https://*.vscode-cdn.net; style-src 'nonce-abc' https://*.vscode-cdn.net; script-src 'nonce-abc';")));
  });

  it('escapes messages and route paths from user code', () => {
    const html = renderHtml(report(), { mode: 'export', nonce: 'n' });
    assert.ok(!html.includes('<script>alert'), 'no injected script');
    assert.ok(!html.includes('<img src=x'), 'no injected image');
    assert.ok(!html.includes('<svg onload'), 'no injected svg');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('data-endpoint="POST /x/&quot;&gt;&lt;svg onload=alert(2)&gt;"'));
  });

  it('renders the matrix as a table with a row per endpoint and a cell per control, each with state, symbol and tooltip', () => {
    const html = renderHtml(report(), { mode: 'webview', nonce: 'n' });
    assert.ok(html.includes('<table id="endpoint-matrix">'));
    assert.ok(html.includes('<th scope="col">Input validation</th>'));
    const row = /<tr data-endpoint="GET \/users\/:id">(.*?)<\/tr>/s.exec(html)?.[1];
    assert.ok(row, 'the GET /users/:id row');
    const cells = [...row.matchAll(/<td data-control="(\w+)" data-state="(\w+)" title="([^"]*)">/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(cells, [
      ['authentication', 'ok'],
      ['validation', 'fail'],
      ['rateLimiting', 'warn'],
      ['errorHandling', 'warn'],
      ['pagination', 'warn'],
      ['timeouts', 'warn'],
    ]);
    assert.ok(row.includes('<th scope="row">'));
    assert.ok(row.includes('✗</span> <span class="state">missing</span>'));
    assert.ok(row.includes('✓</span> <span class="state">in place</span>'));
    // The failing cell opens the finding: line 13, column 5 (1-based) are 12 and 4 in the message.
    assert.ok(/<td data-control="validation"[^>]*><button type="button" class="link loc" data-open data-file="\/work\/app\/src\/routes\/users\.ts" data-line="12" data-character="4"/.test(row));
    assert.ok(html.includes('<h1>Production readiness: <span class="verdict v-blocking">Blocking</span></h1>'));
  });

  it('links locations to vscode://file in an export, percent-encoding the path', () => {
    const html = renderHtml(report(), { mode: 'export', nonce: 'n' });
    assert.ok(html.includes(`href="vscode://file${USERS}:13:5"`));
    assert.ok(!html.includes('data-open'), 'no webview buttons in an export');
    assert.equal(vscodeFileUri('/home/me/my app/a#b.ts', range(0, 0)), 'vscode://file/home/me/my%20app/a%23b.ts:1:1');
    assert.equal(vscodeFileUri('c:/work/a.ts', range(4, 2)), 'vscode://file/c:/work/a.ts:5:3');
  });

  it('says so when no route was found, keeping the table', () => {
    const html = renderHtml(buildReport(input()), { mode: 'export', nonce: 'n' });
    assert.ok(html.includes('<table id="endpoint-matrix">'));
    assert.ok(html.includes('No HTTP route was found'));
    assert.ok(!html.includes('data-endpoint='));
  });

  it('renders a notice page with the same CSP and an audit button', () => {
    const html = renderNotice('No audit yet.', { mode: 'webview', nonce: 'q', runAudit: true });
    assert.ok(html.includes(escapeHtml(contentSecurityPolicy('q'))));
    assert.ok(html.includes('<button type="button" data-command="audit">'));
  });
});

describe('report html: in Chromium', function () {
  let browser: Browser;
  let dir: string;

  before(async function () {
    skipWhenMissing(this, fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardening-report-'));
  });

  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Loads the page from a file (as an exported report is opened), recording CSP violations and posted messages. */
  async function load(html: string, name: string): Promise<{ page: Page; violations: string[] }> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, html);
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
    // The webview's API, recording what the page posts. (Browser code as strings: the tests compile without the DOM lib.)
    await page.addInitScript('window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m) });');
    await page.goto(`file://${file}`);
    return { page, violations };
  }

  it('runs under its own CSP: styles applied, script running, no violation, no inline handler, nothing injected', async () => {
    const { page, violations } = await load(renderHtml(report(), { mode: 'webview' }), 'webview.html');
    const facts = await page.evaluate<PageFacts>(`({
      scripts: document.querySelectorAll('script').length,
      images: document.querySelectorAll('img').length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => el.tagName + '.' + a.name)),
      failColour: getComputedStyle(document.querySelector('td[data-state="fail"]')).color,
      okColour: getComputedStyle(document.querySelector('td[data-state="ok"]')).color,
      heading: document.querySelector('h1').textContent,
      rows: [...document.querySelectorAll('#endpoint-matrix tr[data-endpoint]')].map((r) => r.getAttribute('data-endpoint')),
      message: [...document.querySelectorAll('li[data-fingerprint] .message')].map((m) => m.textContent).join('\\n'),
      code: document.querySelectorAll('li[data-fingerprint] .message code').length,
    })`);
    await page.close();
    assert.deepEqual(violations, []);
    assert.equal(facts.scripts, 1);
    assert.equal(facts.images, 0);
    assert.deepEqual(facts.handlers, []);
    assert.notEqual(facts.failColour, facts.okColour, 'the nonce`d stylesheet applies');
    assert.match(facts.heading ?? '', /^Production readiness/);
    assert.deepEqual(facts.rows, ['GET /users/:id', 'POST /x/"><svg onload=alert(2)>']);
    assert.ok(facts.message.includes('req.body <script>alert("pwned")</script><img src=x onerror=alert(1)> is used'), facts.message);
    assert.equal(facts.code, 2, 'the code spans of both messages');
  });

  it('reaches the failing cell with Tab and opens it with Enter and with Space (webview)', async () => {
    const { page } = await load(renderHtml(report(), { mode: 'webview' }), 'keys.html');
    const target = 'tr[data-endpoint="GET /users/:id"] td[data-control="validation"] button';
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate<boolean>(`document.activeElement === document.querySelector(${JSON.stringify(target)})`);
    }
    assert.ok(reached, 'Tab reaches the cell');
    await page.keyboard.press('Enter');
    await page.keyboard.press(' ');
    const posted = await page.evaluate<unknown[]>('window.posted');
    await page.close();
    const open = { type: 'open', fileName: USERS, line: 12, character: 4 };
    assert.deepEqual(posted, [open, open]);
  });

  it('opens a location with Space in an export too (links already take Enter without script)', async () => {
    const { page, violations } = await load(renderHtml(report(), { mode: 'export' }), 'export.html');
    // Records link activations instead of leaving the page for vscode://.
    await page.evaluate(`window.clicked = [];
      document.addEventListener('click', (e) => {
        const a = e.target.closest('a');
        if (a) { window.clicked.push(a.getAttribute('href')); e.preventDefault(); }
      });`);
    await page.focus('tr[data-endpoint="GET /users/:id"] td[data-control="validation"] a');
    await page.keyboard.press(' ');
    const clicked = await page.evaluate<string[]>('window.clicked');
    await page.close();
    assert.deepEqual(violations, []);
    assert.deepEqual(clicked, [`vscode://file${ROOT}/src/routes/users.ts:13:5`]);
  });
});
