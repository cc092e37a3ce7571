// "Hardening: Audit Workspace": asks the server to analyse every file, shows a
// cancellable progress notification with the file count, and sums up at the end.
// The findings themselves arrive as diagnostics, in the Problems panel.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AUDIT_PROGRESS_METHOD, AUDIT_WORKSPACE_METHOD, type AuditProgress, type AuditResult } from '../../server/src/lsp/protocol';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summary(r: AuditResult): string {
  const severities = (['error', 'warning', 'info'] as const)
    .filter((s) => r.bySeverity[s] > 0)
    .map((s) => `${r.bySeverity[s]} ${s}`)
    .join(', ');
  const head = `${r.cancelled ? 'Audit cancelled' : 'Audit finished'}: ${plural(r.findings, 'finding')} in ${plural(r.files, 'file')}`;
  const skipped = r.skipped.length > 0 ? `; ${plural(r.skipped.length, 'file')} skipped` : '';
  return `${head}${severities ? ` (${severities})` : ''}${skipped} in ${(r.durationMs / 1000).toFixed(1)} s.`;
}

export async function runAuditCommand(client: LanguageClient): Promise<void> {
  let result: AuditResult | undefined;
  try {
    result = await auditWithProgress(client);
  } catch (e) {
    void vscode.window.showErrorMessage(`Hardening: the audit failed: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  if (!result) {
    void vscode.window.showInformationMessage('Hardening: audit cancelled.');
    return;
  }
  const choice = await vscode.window.showInformationMessage(`Hardening: ${summary(result)}`, 'Show Problems');
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
}

function auditWithProgress(client: LanguageClient): Thenable<AuditResult | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Hardening: auditing the workspace', cancellable: true },
    async (progress, token) => {
      let reported = 0;
      const listener = client.onNotification(AUDIT_PROGRESS_METHOD, (p: AuditProgress) => {
        const percent = p.total === 0 ? 100 : (100 * p.done) / p.total;
        progress.report({ message: `${p.done}/${plural(p.total, 'file')}`, increment: percent - reported });
        reported = percent;
      });
      try {
        return await client.sendRequest<AuditResult>(AUDIT_WORKSPACE_METHOD, {}, token);
      } catch (e) {
        if (token.isCancellationRequested) return undefined;
        throw e;
      } finally {
        listener.dispose();
      }
    },
  );
}
