// "Hardening: Open Report" and "Hardening: Export Report…". The report panel renders
// the server's report data with the same HTML renderer as the export (webview mode:
// locations post `open` messages); one panel, revealed when open, refreshed when an
// audit finishes or on its Refresh button. Export asks the server for the text.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { REPORT_METHOD, REPORT_UPDATED_METHOD, type ReportParams, type ReportResponse, type ReportTextFormat } from '../../server/src/lsp/protocol';
import { renderHtml, renderNotice, type ReportWebviewMessage } from '../../server/src/report/html';
import { runAuditCommand } from './audit-command';

export const OPEN_REPORT_COMMAND = 'hardening.openReport';
export const EXPORT_REPORT_COMMAND = 'hardening.exportReport';
const VIEW_TYPE = 'hardening.report';
const TITLE = 'Hardening Report';

interface ExportChoice extends vscode.QuickPickItem {
  readonly format: Exclude<ReportTextFormat, 'data'>;
  readonly extension: string;
}

const EXPORT_CHOICES: readonly ExportChoice[] = [
  { label: 'HTML', detail: 'A self-contained page: summary, charts, endpoint matrix; links open VS Code at the line.', format: 'html', extension: 'html' },
  { label: 'SARIF', detail: 'SARIF 2.1.0 for code scanning (GitHub, Azure DevOps).', format: 'sarif', extension: 'sarif' },
  { label: 'Markdown', detail: 'GitHub-flavoured Markdown for a pull request or a wiki.', format: 'markdown', extension: 'md' },
];

let clientOf: () => LanguageClient | undefined = () => undefined;
let panel: vscode.WebviewPanel | undefined;
/** What the panel shows: a notice is replaced as soon as a report is there; a report only on refresh. */
let showing: 'notice' | 'report' = 'notice';
const listening = new WeakSet<LanguageClient>();

export function registerReportCommands(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  clientOf = getClient;
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_REPORT_COMMAND, () => openReport()),
    vscode.commands.registerCommand(EXPORT_REPORT_COMMAND, () => exportReport()),
    { dispose: () => panel?.dispose() },
  );
}

/** Opens (or reveals) the report, running the workspace audit first when none ran yet. */
export async function openReport(): Promise<void> {
  const client = runningClient();
  if (!client) return;
  followAudits(client);
  const view = showPanel();
  const first = await fetchReport(client, 'data');
  if (!first) return;
  if (first.audited) return render(view, first);
  notice(view, 'Running the workspace audit first…');
  if (await ensureAudited(client)) {
    if (showing === 'notice') await refresh(client);
  } else {
    notice(view, 'No workspace audit has completed yet, so there is no report.', true);
  }
}

export async function exportReport(): Promise<void> {
  const client = runningClient();
  if (!client) return;
  const choice = await vscode.window.showQuickPick(EXPORT_CHOICES, { title: 'Hardening: Export Report', placeHolder: 'Choose a format' });
  if (!choice || !(await ensureAudited(client))) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: `Export the Hardening report as ${choice.label}`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, `hardening-report.${choice.extension}`) : undefined,
    filters: { [choice.label]: [choice.extension] },
  });
  if (!target) return;
  const response = await fetchReport(client, choice.format);
  if (response?.text === undefined) return;
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(response.text));
  } catch (e) {
    void vscode.window.showErrorMessage(`Hardening: could not write ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  void vscode.window.showInformationMessage(`Hardening: report saved to ${vscode.workspace.asRelativePath(target)}.`);
}

function runningClient(): LanguageClient | undefined {
  const client = clientOf();
  if (!client) void vscode.window.showErrorMessage('Hardening: the language server is not running.');
  return client;
}

/** A completed audit, run now if none did: true once the report has data. */
async function ensureAudited(client: LanguageClient): Promise<boolean> {
  const current = await fetchReport(client, 'data');
  if (!current) return false;
  if (current.audited) return true;
  let subscription: vscode.Disposable | undefined;
  // The audit command resolves only when its summary notification is dismissed; the server's
  // notification tells sooner that the audit is done. A cancelled or failed audit ends the command.
  const completed = new Promise<void>((resolve) => {
    subscription = client.onNotification(REPORT_UPDATED_METHOD, () => resolve());
  });
  try {
    await Promise.race([completed, runAuditCommand(client)]);
  } finally {
    subscription?.dispose();
  }
  return (await fetchReport(client, 'data'))?.audited ?? false;
}

/** Every completed audit refreshes an open panel. */
function followAudits(client: LanguageClient): void {
  if (listening.has(client)) return;
  listening.add(client);
  client.onNotification(REPORT_UPDATED_METHOD, () => {
    if (panel) void refresh(client);
  });
}

async function fetchReport(client: LanguageClient, format: ReportTextFormat): Promise<ReportResponse | undefined> {
  try {
    const params: ReportParams = { format };
    return await client.sendRequest<ReportResponse>(REPORT_METHOD, params);
  } catch (e) {
    void vscode.window.showErrorMessage(`Hardening: could not build the report: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

async function refresh(client: LanguageClient): Promise<void> {
  const view = panel;
  if (!view) return;
  const response = await fetchReport(client, 'data');
  if (!response || panel !== view) return;
  if (response.audited) render(view, response);
  else notice(view, 'No workspace audit has completed yet, so there is no report.', true);
}

function render(view: vscode.WebviewPanel, response: ReportResponse): void {
  showing = 'report';
  view.webview.html = renderHtml(response.data, { mode: 'webview', cspSource: view.webview.cspSource });
}

function notice(view: vscode.WebviewPanel, message: string, runAudit = false): void {
  showing = 'notice';
  view.webview.html = renderNotice(message, { mode: 'webview', cspSource: view.webview.cspSource, runAudit });
}

function showPanel(): vscode.WebviewPanel {
  if (panel) {
    panel.reveal();
    return panel;
  }
  const view = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [],
    enableFindWidget: true,
  });
  panel = view;
  showing = 'notice';
  view.webview.onDidReceiveMessage((m: unknown) => onMessage(m as ReportWebviewMessage));
  view.onDidDispose(() => {
    if (panel === view) panel = undefined;
  });
  return view;
}

async function onMessage(message: ReportWebviewMessage): Promise<void> {
  const client = clientOf();
  switch (message?.type) {
    case 'open':
      return openLocation(message);
    case 'openDocs':
      return openDocs(message.url);
    case 'refresh':
      if (client) await refresh(client);
      return;
    case 'export':
      return exportReport();
    case 'audit':
      if (!client) return;
      if (panel) notice(panel, 'Running the workspace audit…');
      if (await ensureAudited(client)) await refresh(client);
      else if (panel) notice(panel, 'No workspace audit has completed yet, so there is no report.', true);
      return;
  }
}

async function openLocation(m: Extract<ReportWebviewMessage, { type: 'open' }>): Promise<void> {
  // The page is ours, but its data came from the workspace: accept only a well-formed location.
  if (typeof m.fileName !== 'string' || !path.isAbsolute(m.fileName) || !Number.isInteger(m.line) || !Number.isInteger(m.character)) return;
  const at = new vscode.Position(Math.max(0, m.line), Math.max(0, m.character));
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(m.fileName), { selection: new vscode.Range(at, at) });
  } catch (e) {
    void vscode.window.showErrorMessage(`Hardening: could not open ${m.fileName}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Rule docs ship as Markdown beside the rules: shown in the Markdown preview. */
async function openDocs(url: unknown): Promise<void> {
  if (typeof url !== 'string' || !url.startsWith('file:') || !url.endsWith('.md')) return;
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.parse(url));
}
