// In-editor tests (run inside VS Code by ../vscode.test.ts): the extension
// activates on a TypeScript file, its diagnostics reach VS Code, and its quick fix
// works through the code action provider VS Code itself calls.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'production-hardening.production-hardening';

function ruleId(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Resolves when the diagnostics of `uri` satisfy `accept` (checked on every change). */
function diagnosticsMatching(uri: vscode.Uri, accept: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const ds = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'hardening');
      if (!accept(ds)) return false;
      clearTimeout(timer);
      listener.dispose();
      resolve(ds);
      return true;
    };
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, 45_000);
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    check();
  });
}

describe('Production Hardening in VS Code', () => {
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  const serviceUri = () => vscode.Uri.joinPath(folder(), 'src/service.ts');

  it('activates on a TypeScript file and registers its commands', async () => {
    const doc = await vscode.workspace.openTextDocument(serviceUri());
    await vscode.window.showTextDocument(doc);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension is installed');
    await extension.activate();
    assert.equal(extension.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['hardening.auditWorkspace', 'hardening.restartServer', 'hardening.showOutput']) assert.ok(commands.includes(c), c);
  });

  it('shows the finding of a bad file with its rule id and docs link', async () => {
    const ds = await diagnosticsMatching(serviceUri(), (d) => d.some((x) => ruleId(x) === 'swallowed-error'), 'swallowed-error');
    const d = ds.find((x) => ruleId(x) === 'swallowed-error')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.line, 3);
    assert.ok(typeof d.code === 'object' && d.code.target.path.endsWith('/rules/observability/swallowed-error.md'));
  });

  it('applies the preferred quick fix, and the finding goes away', async () => {
    const uri = serviceUri();
    const [d] = (await diagnosticsMatching(uri, (ds) => ds.length > 0, 'a finding')).filter((x) => ruleId(x) === 'swallowed-error');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix, `a preferred fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions.some((a) => a.title === 'Suppress swallowed-error on this line (with reason)' && a.command?.command === 'hardening.suppressWithReason'));
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    await diagnosticsMatching(uri, (ds) => !ds.some((x) => ruleId(x) === 'swallowed-error'), 'the finding to go away');
    assert.match((await vscode.workspace.openTextDocument(uri)).getText(), /console\.error\(/);
  });
});
