// Workspace trust, checked rather than claimed: the package declares support for
// untrusted workspaces (its configuration is data; nothing from the workspace runs),
// so in Restricted Mode the extension must still activate and show its findings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM, CodeServer, EDITOR_SETTINGS, obtainVsix, REPO, skipUnlessEditorTools } from './code-server';
import { cliAudit, copySampleWorkspace, findingOf } from './sample-workspace';
import { Workbench } from './workbench';

const USERS = 'src/routes/users.ts';

function say(line: string): void {
  process.stdout.write(`      ${line}\n`);
}

describe('VS Code in the browser: an untrusted workspace (Restricted Mode)', function () {
  const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-restricted`;
  const runDir = path.join(REPO, 'test/.tmp', `e2e-${stamp}`);
  const artifacts = path.join(REPO, 'test/.artifacts/e2e', stamp);
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let failed = false;

  before(function () {
    skipUnlessEditorTools(this);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });

  after(async function () {
    this.timeout(60_000);
    await wb?.close().catch(() => undefined);
    await server?.stop();
    if (!failed) fs.rmSync(runDir, { recursive: true, force: true });
    else say(`e2e: run folder kept for inspection: ${path.relative(REPO, runDir)}`);
  });

  it('activates and shows findings while the folder is not trusted', async function () {
    this.timeout(240_000);
    fs.mkdirSync(artifacts, { recursive: true });
    const vsix = obtainVsix();
    const ws = copySampleWorkspace(runDir);
    const expected = findingOf(await cliAudit(ws), USERS, 'missing-input-validation', 'POST /users');
    const settings = {
      ...EDITOR_SETTINGS,
      'security.workspace.trust.enabled': true,
      // No modal prompt: the folder simply opens untrusted, as when a user picks "Don't Trust".
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'always',
    };
    const options = { runDir, vsix: vsix.path, settings, logFile: path.join(artifacts, 'code-server.log'), workspaceTrust: true };
    CodeServer.installExtension(options);
    server = await CodeServer.start(options, ws);
    wb = await Workbench.launch(CHROMIUM, artifacts);
    await wb.load(server.url(ws));
    const browser = wb;
    await browser.step('Restricted Mode is on', (timeout) => browser.page.getByText('Restricted Mode', { exact: false }).first().waitFor({ timeout }));
    await browser.openFile(USERS);
    const text = fs.readFileSync(path.join(ws, USERS), 'utf8');
    const line = text.split('\n')[expected.line - 1].trim();
    await browser.waitForSquiggle(line, 90_000);
    const hover = await browser.hover(await browser.waitForSquiggle(line), 'missing-input-validation');
    assert.ok((await hover.innerText()).includes(expected.message));
    await browser.screenshot('restricted-mode');
  });
});
