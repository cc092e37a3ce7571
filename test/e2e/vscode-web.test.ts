// The packaged extension in a real VS Code (code-server 4.139 in headless Chromium),
// checked through the UI as a person would: squiggle and hover, three lightbulb
// fixes, the workspace audit from the command palette, the report, fixAll on save.
// What the UI must show comes from the real CLI and engine over the same files.
// Needs scripts/install-e2e-tools.sh; skips with one plain line otherwise.
// Env: HARDENING_E2E=0 skips; HARDENING_VSIX=<file> uses that package.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM, CodeServer, EDITOR_SETTINGS, obtainVsix, REPO, skipUnlessEditorTools } from './code-server';
import { cliAudit, copySampleWorkspace, engineFixes, findingOf, type CliAudit, type ExpectedFix } from './sample-workspace';
import { Workbench } from './workbench';

const USERS = 'src/routes/users.ts';
const CHARGES = 'billing-v1/src/charge-status.ts';
const USER_SERVICE = 'src/services/user-service.ts';
const CLEANUP = 'src/jobs/cleanup.ts';
/** Every route the sample registers (examples/vulnerable-api and billing-v1). */
const SAMPLE_ENDPOINTS = [
  'GET /users/search',
  'POST /users',
  'GET /admin/users',
  'GET /users/by-email',
  'GET /orders',
  'POST /orders',
  'GET /users/:userId/orders',
  'POST /checkout',
  'GET /charges/:id/status',
];

/** What before() prepared for the scenarios. */
interface Session {
  readonly wb: Workbench;
  readonly ws: string;
  readonly extensionDir: string;
  /** The CLI's audit of the fresh copy. */
  readonly initial: CliAudit;
  /** The engine's result of each fix the scenarios apply. */
  readonly fixes: Readonly<Record<'validation' | 'retry' | 'index' | 'fixAll', ExpectedFix>>;
}

class Timings {
  readonly parts: [string, number][] = [];

  async time<T>(label: string, fn: () => T | Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      return await fn();
    } finally {
      this.parts.push([label, Date.now() - start]);
    }
  }

  toString(): string {
    return this.parts.map(([label, ms]) => `${label} ${(ms / 1000).toFixed(1)} s`).join(', ');
  }
}

function say(line: string): void {
  process.stdout.write(`      ${line}\n`);
}

/** The text of a line of a file, to find that line on screen. */
function lineText(text: string, line: number): string {
  return text.split('\n')[line - 1].trim();
}

describe('VS Code in the browser (code-server + Chromium, packaged .vsix)', function () {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = path.join(REPO, 'test/.tmp', `e2e-${stamp}`);
  const artifacts = path.join(REPO, 'test/.artifacts/e2e', stamp);
  const timings = new Timings();
  let started = false;
  let server: CodeServer | undefined;
  let browser: Workbench | undefined;
  let session: Session | undefined;
  let failed = false;

  before(async function () {
    skipUnlessEditorTools(this);
    this.timeout(240_000);
    started = true;
    fs.mkdirSync(runDir, { recursive: true });
    fs.mkdirSync(artifacts, { recursive: true });

    const begun = Date.now();
    const vsix = obtainVsix();
    timings.parts.push([`vsix (${vsix.how})`, Date.now() - begun]);
    const ws = copySampleWorkspace(runDir);
    // The CLI's audit runs in its own process meanwhile.
    const audited = timings.time('CLI audit of the fresh copy (in parallel)', () => cliAudit(ws));
    // Before the editor starts: the engine runs in this process and would compete with it.
    const [validation, retry, index, fixAll] = await timings.time('engine fixes (expected texts)', () =>
      engineFixes(ws, [
        { file: USERS, ruleId: 'missing-input-validation', title: 'Add validation:', messagePart: 'POST /users' },
        { file: CHARGES, ruleId: 'unguarded-external-call', title: 'Wrap in try/retry' },
        { file: USER_SERVICE, ruleId: 'unindexed-query', title: 'Add index hint' },
        { file: CLEANUP, ruleId: 'swallowed-error', title: 'Log the error' },
      ]),
    );
    const options = { runDir, vsix: vsix.path, settings: EDITOR_SETTINGS, logFile: path.join(artifacts, 'code-server.log') };
    const extensionDir = await timings.time('install .vsix', () => CodeServer.installExtension(options));
    const initial = await audited;
    server = await timings.time('code-server start', () => CodeServer.start(options, ws));
    const wb = (browser = await Workbench.launch(CHROMIUM, artifacts));
    await timings.time('workbench load', () => wb.load(server!.url(ws)));
    session = { wb, ws, extensionDir, initial, fixes: { validation, retry, index, fixAll } };
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    failed = true;
    await browser?.dismissLeftovers();
  });

  after(async function () {
    this.timeout(60_000);
    if (!started) return;
    await browser?.close().catch(() => undefined);
    await server?.stop();
    copyLogs(runDir, artifacts);
    fs.writeFileSync(path.join(artifacts, 'timings.json'), JSON.stringify(Object.fromEntries(timings.parts), null, 2));
    say(`e2e timings: ${timings}${browser ? `; Ctrl+. menu retries: ${browser.quickFixRetries}` : ''}`);
    say(`e2e artifacts: ${path.relative(REPO, artifacts)}`);
    if (failed || !session) say(`e2e: run folder kept for inspection: ${path.relative(REPO, runDir)}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  });

  /** Runs one scenario on the session before() prepared, timing it. */
  async function scenario(label: string, fn: (s: Session) => Promise<void>): Promise<void> {
    assert.ok(session, 'the editor session is up');
    await timings.time(label, () => fn(session!));
  }

  it('shows a squiggle whose hover gives the message, the rule id and its docs link', async function () {
    this.timeout(120_000);
    await scenario('1 squiggle + hover', async ({ wb, ws, initial, extensionDir }) => {
      const finding = findingOf(initial, USERS, 'missing-input-validation', 'POST /users');
      const text = fs.readFileSync(path.join(ws, USERS), 'utf8');
      await wb.openFile(USERS);
      // The first analysis loads the whole TypeScript program: give it time on a busy machine.
      const squiggle = await wb.waitForSquiggle(lineText(text, finding.line), 60_000);
      const hover = await wb.hover(squiggle, 'missing-input-validation');
      const shown = await hover.innerText();
      assert.ok(shown.includes(finding.message), `the hover shows the finding's message; it shows:\n${shown}`);
      const link = hover.locator('a.code-link', { hasText: 'missing-input-validation' });
      const href = await link.getAttribute('href');
      assert.ok(href, 'the rule id is a link');
      assert.ok(href.endsWith('/rules/validation/missing-input-validation.md'), `the link opens the rule's docs: ${href}`);
      assert.ok(decodeURIComponent(href).includes(path.basename(extensionDir)), `the docs come from the installed extension: ${href}`);
      await wb.screenshot('hover');
      // The docs open inside VS Code, in an editor tab, not in a browser window.
      await link.click();
      const docsTab = wb.page.locator('.part.editor .tab', { hasText: 'missing-input-validation.md' });
      await wb.step('rule docs open in an editor tab', (timeout) => docsTab.waitFor({ timeout }));
      await wb.step('rule docs content', (timeout) => wb.viewLine('missing-input-validation').first().waitFor({ timeout }));
      await wb.screenshot('rule-docs');
      await wb.page.keyboard.press('Control+W');
      await wb.step('docs tab closed', (timeout) => docsTab.waitFor({ state: 'detached', timeout }));
    });
  });

  it('applies "Add validation" from the lightbulb and saves the schema parse to disk', async function () {
    this.timeout(120_000);
    await scenario('2 add validation', async ({ wb, ws, initial, fixes }) => {
      const finding = findingOf(initial, USERS, 'missing-input-validation', 'POST /users');
      const inUsers = initial.findings.filter((f) => f.file === USERS);
      const expected = fixes.validation.files.get(USERS)!;
      await wb.waitForProblemCounts(countsOf(inUsers));
      await wb.goTo(finding.line, finding.column);
      await wb.quickFix(fixes.validation.title);
      await wb.step('the schema parse is in the editor', (timeout) => wb.viewLine('postUsersBody.safeParse(req.body)').waitFor({ timeout }));
      // The finding is gone and nothing else changed.
      await wb.waitForProblemCounts(countsOf(inUsers.filter((f) => f !== finding)));
      await wb.waitForNoSquiggle('const { email, name, plan } = body;');
      await wb.save();
      await waitForDisk(wb, ws, USERS, expected);
      assert.match(expected, /const postUsersBody = z\.object\(\{/);
    });
  });

  it('applies "Wrap in try/retry", creating the retry helper, and saves both files', async function () {
    this.timeout(120_000);
    await scenario('3 wrap in try/retry', async ({ wb, ws, initial, fixes }) => {
      const finding = findingOf(initial, CHARGES, 'unguarded-external-call');
      const text = fs.readFileSync(path.join(ws, CHARGES), 'utf8');
      await wb.openFile(CHARGES);
      await wb.waitForSquiggle(lineText(text, finding.line));
      await wb.goTo(finding.line, finding.column);
      await wb.quickFix('Wrap in try/retry');
      await wb.step('the retried call is in the editor', (timeout) => wb.viewLine('await withRetry(() => axios.get').waitFor({ timeout }));
      await wb.saveAll();
      assert.deepEqual([...fixes.retry.files.keys()].sort(), ['billing-v1/src/charge-status.ts', 'billing-v1/src/with-retry.ts']);
      for (const [file, expected] of fixes.retry.files) await waitForDisk(wb, ws, file, expected);
      await wb.waitForNoSquiggle('await withRetry(() => axios.get');
    });
  });

  it('applies "Add index hint", which edits schema.prisma', async function () {
    this.timeout(120_000);
    await scenario('4 add index hint', async ({ wb, ws, initial, fixes }) => {
      const finding = findingOf(initial, USER_SERVICE, 'unindexed-query');
      const text = fs.readFileSync(path.join(ws, USER_SERVICE), 'utf8');
      const line = lineText(text, finding.line);
      await wb.openFile(USER_SERVICE);
      await wb.waitForSquiggle(line);
      await wb.goTo(finding.line, finding.column);
      await wb.quickFix('Add index hint');
      // The fix is resolved by the server after the click: wait for its edit to land.
      await wb.waitForDirty('schema.prisma');
      await wb.saveAll();
      assert.deepEqual([...fixes.index.files.keys()], ['prisma/schema.prisma']);
      const schema = fixes.index.files.get('prisma/schema.prisma')!;
      assert.match(schema, /model User \{[^}]*@@index\(\[email\]\)\s*\}/);
      await waitForDisk(wb, ws, 'prisma/schema.prisma', schema);
      // The server re-reads the schema from disk and drops the finding.
      await wb.waitForNoSquiggle(line);
    });
  });

  // Later scenarios use the state the fixes above left, as a person's session would.
  it('audits the workspace from the palette: progress, summary, and every finding counted', async function () {
    this.timeout(120_000);
    await scenario('5 audit workspace', async ({ wb, ws }) => {
      const expected = await cliAudit(ws);
      const seen = await wb.recordNotifications();
      await wb.runCommand('Hardening: Audit Workspace');
      const n = expected.report.summary.findings;
      const summary = wb.notification(/Audit finished: \d+ findings? in \d+ files?/);
      await wb.step('audit summary notification', (timeout) => summary.waitFor({ timeout }), 60_000);
      const counted = /Audit finished: (\d+) findings? in (\d+) files?/.exec(await summary.innerText())!;
      assert.deepEqual([Number(counted[1]), Number(counted[2])], [n, expected.report.summary.files], 'findings and files: the editor audit counts what the CLI counts');
      const toasts = await seen();
      assert.ok(toasts.some((t) => t.includes('Hardening: auditing')), `the progress notification was shown; notifications seen:\n${toasts.join('\n---\n')}`);
      await wb.waitForProblemCounts({ errors: expected.report.summary.errors, warnings: expected.report.summary.warnings, infos: expected.report.summary.infos });
      // Our status bar item counts the workspace's hardening problems (and the file's, when one is active).
      const item = wb.page.locator('[id$="hardening.status"]');
      const workspaceCount = new RegExp(`Hardening (\\d+ / )?${n}$`);
      await wb.step('status bar workspace count', async (timeout) => {
        const deadline = Date.now() + timeout;
        while (!workspaceCount.test((await item.innerText()).trim()) && Date.now() < deadline) await wb.page.waitForTimeout(100);
      });
      assert.match((await item.innerText()).trim(), workspaceCount);
      assert.equal(await summary.getByRole('button', { name: 'Open Report' }).count(), 1, 'the summary offers the report');
      await wb.step('open the Problems panel from the summary', async (timeout) => {
        await summary.getByRole('button', { name: 'Show Problems' }).click({ timeout });
        await wb.page.locator('.markers-panel').waitFor({ state: 'visible', timeout });
      });
      await wb.waitForProblemsBadge(n);
      await wb.screenshot('problems-after-audit');
    });
  });

  it('opens the report with its endpoint matrix', async function () {
    this.timeout(120_000);
    assert.ok(session, 'the editor session is up');
    assert.ok(contributesCommand(session.extensionDir, 'Open Report'), "the packaged extension contributes 'Hardening: Open Report'");
    await scenario('6 open report', async ({ wb, ws }) => {
      // What the CLI's JSON says of the same files (saved by the scenarios above).
      const cli = await cliAudit(ws);
      assert.deepEqual(cli.report.endpoints.map((e) => `${e.method} ${e.path}`).sort(), [...SAMPLE_ENDPOINTS].sort(), 'the CLI finds every route of the sample');
      await wb.runCommand('Hardening: Open Report');
      const tab = wb.page.locator('.part.editor .tab', { hasText: 'Hardening Report' });
      await wb.step('report tab', async (timeout) => {
        await tab.or(wb.dialog()).first().waitFor({ timeout });
        // A contributed command the extension does not register ends in this dialog.
        if (await wb.dialog().isVisible()) throw new Error(`the command failed: ${await wb.dialog().innerText()}`);
      });
      const frame = await wb.step('report content', (timeout) => wb.frameWith('table#endpoint-matrix', timeout), 30_000);
      await wb.step('report heading', (timeout) => frame.locator('h1, h2', { hasText: 'Production readiness' }).first().waitFor({ timeout }));
      const endpoints = await frame.locator('table#endpoint-matrix tr[data-endpoint]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-endpoint') ?? ''));
      assert.deepEqual(endpoints.sort(), [...SAMPLE_ENDPOINTS].sort(), 'one matrix row per route of the sample');
      await wb.screenshot('report');
      // Every row has the six columns, each green, amber, red or not applicable.
      const states = await frame.locator('table#endpoint-matrix td[data-control]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-state')));
      assert.equal(states.length, SAMPLE_ENDPOINTS.length * 6);
      assert.ok(states.every((s) => s === 'ok' || s === 'warn' || s === 'fail' || s === 'na'), states.join(','));
      assert.ok(states.includes('fail'), 'the sample has endpoints a finding marks red');
      // Cell for cell, the editor's matrix is the CLI's.
      const shown = await frame.locator('table#endpoint-matrix tr[data-endpoint]').evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute('data-endpoint'), [...row.querySelectorAll('td[data-control]')].map((c) => `${c.getAttribute('data-control')}=${c.getAttribute('data-state')}`).join(' ')]),
      );
      const fromCli = cli.report.endpoints.map((e) => [`${e.method} ${e.path}`, Object.entries(e.controls).map(([id, c]) => `${id}=${c.state}`).join(' ')]);
      assert.deepEqual(Object.fromEntries(shown), Object.fromEntries(fromCli));
      await frame.locator('table#endpoint-matrix').scrollIntoViewIfNeeded();
      await wb.screenshot('endpoint-matrix');
    });
  });

  it('exports the report as Markdown through the format picker and the save dialog', async function () {
    this.timeout(120_000);
    await scenario('6b export report', async ({ wb, ws }) => {
      const target = path.join(ws, 'hardening-report.md');
      const page = wb.page;
      const input = page.locator('.quick-input-widget input');
      await wb.step('export command', async (timeout) => {
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout });
        await input.fill('>Hardening: Export Report');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Export Report' }).first().waitFor({ timeout });
        await page.keyboard.press('Enter');
      });
      // By keyboard, as the picker re-renders while it opens (a click on a moving row can miss).
      await wb.step('format picker', async (timeout) => {
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Markdown' }).first().waitFor({ timeout });
        await input.fill('Markdown');
        await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Markdown' }).waitFor({ timeout });
        await page.keyboard.press('Enter');
      });
      // The browser build's save dialog is a quick input holding the proposed path.
      await wb.step('save dialog proposes hardening-report.md', async (timeout) => {
        const deadline = Date.now() + timeout;
        while (!(await input.inputValue().catch(() => '')).endsWith('hardening-report.md') && Date.now() < deadline) await page.waitForTimeout(100);
        assert.match(await input.inputValue(), /hardening-report\.md$/);
        await page.keyboard.press('Enter');
      });
      await wb.step('saved notification', (timeout) => wb.notification('report saved to').first().waitFor({ timeout }));
      const markdown = fs.readFileSync(target, 'utf8');
      assert.match(markdown, /Production readiness/);
      for (const endpoint of SAMPLE_ENDPOINTS) assert.ok(markdown.includes(endpoint.split(' ')[1]), `the Markdown lists ${endpoint}`);
    });
  });

  it('applies the safe fixes on save (source.fixAll.hardening)', async function () {
    this.timeout(120_000);
    await scenario('7 fixAll on save', async ({ wb, ws, initial, fixes }) => {
      const finding = findingOf(initial, CLEANUP, 'swallowed-error');
      const text = fs.readFileSync(path.join(ws, CLEANUP), 'utf8');
      await wb.openFile(CLEANUP);
      await wb.waitForSquiggle(lineText(text, finding.line));
      await wb.save();
      const expected = fixes.fixAll.files.get(CLEANUP)!;
      assert.match(expected, /logger\.error\(/);
      await waitForDisk(wb, ws, CLEANUP, expected);
      await wb.waitForNoSquiggle(lineText(expected, finding.line));
    });
  });
});

function countsOf(findings: readonly { severity: string }[]) {
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info') };
}

/** Waits until the file on disk has exactly the expected text (else fails with the diff). */
async function waitForDisk(wb: Workbench, ws: string, rel: string, expected: string): Promise<void> {
  const file = path.join(ws, rel);
  const read = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  await wb.step(`${rel} saved with the fix`, async (timeout) => {
    const deadline = Date.now() + timeout;
    while (read() !== expected && Date.now() < deadline) await wb.page.waitForTimeout(100);
    assert.equal(read(), expected, `timed out: ${rel} on disk is not the fixed text`);
  });
}

/** Whether the installed extension contributes a "Hardening: <title>" command. */
function contributesCommand(extensionDir: string, title: string): boolean {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as { contributes?: { commands?: { title: string; category?: string }[] } };
  return (manifest.contributes?.commands ?? []).some((c) => c.title === title && c.category === 'Hardening');
}

/** The extension's output channel and the extension host's log, beside the screenshots. */
function copyLogs(runDir: string, artifacts: string): void {
  const logs = path.join(runDir, 'data/logs');
  if (!fs.existsSync(logs)) return;
  for (const entry of fs.readdirSync(logs, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/Production Hardening\.log$|remoteexthost\.log$/.test(entry.name)) continue;
    fs.copyFileSync(path.join(entry.parentPath, entry.name), path.join(artifacts, entry.name.replace(/ /g, '-')));
  }
}
