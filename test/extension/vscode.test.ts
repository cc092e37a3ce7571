// Runs the in-editor suite (test/extension/suite) in a real desktop VS Code through
// @vscode/test-electron. VS Code cannot be downloaded on the build machines, so it
// runs only when VSCODE_EXECUTABLE points at an installed one.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { packageFile } from '../../server/src/engine/package-root';
import { E2E_WORKSPACE_FILES } from './suite/workspace-files';

describe('VS Code extension (desktop, @vscode/test-electron)', function () {
  it('activates, shows diagnostics and applies a quick fix inside VS Code', async function () {
    const executable = process.env.VSCODE_EXECUTABLE;
    if (!executable) {
      process.stdout.write('      (skipped: set VSCODE_EXECUTABLE to a desktop VS Code binary to run the extension suite)\n');
      this.skip();
    }
    this.timeout(5 * 60_000);
    // The manifest's `main` is the bundle: build it from the current sources.
    execFileSync(process.execPath, [packageFile('out/scripts/bundle.js')], { stdio: 'inherit' });
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hardening-e2e-'));
    for (const [rel, text] of Object.entries(E2E_WORKSPACE_FILES)) {
      fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
      fs.writeFileSync(path.join(workspace, rel), text);
    }
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'hardening-e2e-user-'));
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: packageFile('.'),
      extensionTestsPath: packageFile('out/test/extension/suite/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
    });
  });
});
