// "Hardening: Audit Workspace": asks the server to analyse every file, shows a
// cancellable progress notification with the file count, and sums up at the end.
// The findings themselves arrive as diagnostics, in the Problems panel.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AUDIT_PROGRESS_METHOD, AUDIT_WORKSPACE_METHOD, type AuditProgress, type AuditResult } from '../../server/src/lsp/protocol';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Category counts, largest first: "validation 4, security 2". */
function categoryCounts(byCategory: Record<string, number>): string {
  return Object.entries(byCategory)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([category, n]) => `${category} ${n}`)
    .join(', ');
}

export function summary(r: AuditResult): string {
  const severities = (['error', 'warning', 'info'] as const)
    .filter((s) => r.bySeverity[s] > 0)
    .map((s) => `${r.bySeverity[s]} ${s}`)
    .join(', ');
  const head = `${r.cancelled ? 'Audit cancelled' : 'Audit finished'}: ${plural(r.findings, 'finding')} in ${plural(r.files, 'file')}`;
  const categories = categoryCounts(r.byCategory);
  const skipped = r.skipped.length > 0 ? `; ${plural(r.skipped.length, 'file')} skipped` : '';
  const detail = [categories, severities].filter(Boolean).join('; ');
  return `${head}${detail ? ` — ${detail}` : ''}${skipped} (${(r.durationMs / 1000).toFixed(1)} s).`;
}

/** What the rest of the extension hangs on an audit: the status bar and the report. */
export interface AuditHooks {
  progress?(text: string | undefined): void;
  finished?(result: AuditResult): void;
  openReport?(): Thenable<unknown> | void;
}

let hooks: AuditHooks = {};

export function setAuditHooks(h: AuditHooks): void {
  hooks = h;
}

/** Runs the audit with progress; resolves to the result, or undefined when cancelled or failed. */
export async function runAuditCommand(client: LanguageClient): Promise<AuditResult | undefined> {
  let result: AuditResult | undefined;
  try {
    result = await auditWithProgress(client);
  } catch (e) {
    void vscode.window.showErrorMessage(`Hardening: the audit failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  } finally {
    hooks.progress?.(undefined);
  }
  if (!result) {
    void vscode.window.showInformationMessage('Hardening: audit cancelled.');
    return undefined;
  }
  hooks.finished?.(result);
  void offerNextSteps(result);
  return result;
}

async function offerNextSteps(result: AuditResult): Promise<void> {
  const buttons = hooks.openReport ? ['Open Report', 'Show Problems'] : ['Show Problems'];
  const choice = await vscode.window.showInformationMessage(`Hardening: ${summary(result)}`, ...buttons);
  if (choice === 'Open Report') await hooks.openReport?.();
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
}

function auditWithProgress(client: LanguageClient): Thenable<AuditResult | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Hardening: auditing the workspace', cancellable: true },
    async (progress, token) => {
      let reported = 0;
      const listener = client.onNotification(AUDIT_PROGRESS_METHOD, (p: AuditProgress) => {
        const percent = p.total === 0 ? 100 : (100 * p.done) / p.total;
        const message = `${p.done}/${plural(p.total, 'file')}`;
        progress.report({ message, increment: percent - reported });
        hooks.progress?.(`auditing ${message}`);
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
