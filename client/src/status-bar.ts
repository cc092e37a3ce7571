// The status bar item: how many hardening problems the active file and the
// workspace have, and whether the server is running. Counted from VS Code's own
// diagnostics (our `source`), so it always agrees with the Problems panel.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { DIAGNOSTIC_SOURCE } from '../../server/src/lsp/protocol';

type ServerState = 'starting' | 'running' | 'stopped';

function ours(diagnostics: readonly vscode.Diagnostic[]): number {
  let n = 0;
  for (const d of diagnostics) if (d.source === DIAGNOSTIC_SOURCE) n++;
  return n;
}

export class HardeningStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hardening.status', vscode.StatusBarAlignment.Left, 0);
  private readonly subscriptions: vscode.Disposable[] = [];
  private server: ServerState = 'starting';
  private auditing: string | undefined;

  constructor(client: LanguageClient, showOutputCommand: string) {
    this.item.name = 'Production Hardening';
    this.item.command = showOutputCommand;
    this.subscriptions.push(
      vscode.languages.onDidChangeDiagnostics(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      client.onDidChangeState((e) => {
        this.server = e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped';
        this.render();
      }),
    );
    this.render();
    this.item.show();
  }

  /** Shown while a workspace audit runs (undefined when it ends). */
  setAuditProgress(text: string | undefined): void {
    this.auditing = text;
    this.render();
  }

  private render(): void {
    const active = vscode.window.activeTextEditor?.document.uri;
    const inFile = active ? ours(vscode.languages.getDiagnostics(active)) : undefined;
    let inWorkspace = 0;
    let files = 0;
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      const n = ours(diagnostics);
      inWorkspace += n;
      if (n > 0) files++;
    }
    const icon = this.server === 'running' ? (this.auditing ? '$(sync~spin)' : '$(shield)') : this.server === 'starting' ? '$(loading~spin)' : '$(error)';
    const counts = inFile === undefined ? `${inWorkspace}` : `${inFile} / ${inWorkspace}`;
    this.item.text = `${icon} Hardening ${this.auditing ?? counts}`;
    const state = this.server === 'running' ? 'Server running' : this.server === 'starting' ? 'Server starting…' : 'Server stopped — see the output';
    const lines = [
      `Production Hardening — ${state}`,
      inFile === undefined ? undefined : `This file: ${inFile} problem${inFile === 1 ? '' : 's'}`,
      `Workspace: ${inWorkspace} problem${inWorkspace === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`,
      this.auditing ? `Auditing: ${this.auditing}` : undefined,
      'Click to show the output',
    ];
    this.item.tooltip = lines.filter((l) => l !== undefined).join('\n');
    this.item.backgroundColor = this.server === 'stopped' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
