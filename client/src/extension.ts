// The VS Code side of Production Hardening: starts the language server (which does
// all the analysis), forwards settings and file changes, and adds the commands.
// Nothing from the workspace is executed here, so untrusted workspaces are fine.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WATCHED_FILE_GLOBS, type HardeningInitializationOptions } from '../../server/src/lsp/protocol';
import { runAuditCommand, setAuditHooks } from './audit-command';
import { openReport, registerReportCommands } from './report-panel';
import { HardeningStatusBar } from './status-bar';
import { SUPPRESS_COMMAND, suppressWithReason } from './suppress-command';

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

let client: LanguageClient | undefined;

/** The bundled server in a packaged extension; the tsc output while developing. */
function serverModule(context: vscode.ExtensionContext): string {
  const bundled = context.asAbsolutePath('dist/server.js');
  const compiled = context.asAbsolutePath('out/server/src/lsp/main.js');
  if (context.extensionMode !== vscode.ExtensionMode.Production && fs.existsSync(compiled)) return compiled;
  return bundled;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Production Hardening', { log: true });
  context.subscriptions.push(output);

  const module = serverModule(context);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const watchers = WATCHED_FILE_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  context.subscriptions.push(...watchers);
  const initializationOptions: HardeningInitializationOptions = {
    suppressWithReasonCommand: SUPPRESS_COMMAND,
    clientWatchesFiles: true,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
    outputChannel: output,
    initializationOptions,
    // Settings are pulled with workspace/configuration (the server registers for their changes itself).
    synchronize: { fileEvents: watchers },
  };
  client = new LanguageClient('hardening', 'Production Hardening', serverOptions, clientOptions);

  const statusBar = new HardeningStatusBar(client, 'hardening.showOutput');
  context.subscriptions.push(statusBar);
  setAuditHooks({ progress: (text) => statusBar.setAuditProgress(text), openReport });
  registerReportCommands(context, () => client);

  context.subscriptions.push(
    vscode.commands.registerCommand('hardening.auditWorkspace', () => (client ? runAuditCommand(client) : undefined)),
    vscode.commands.registerCommand('hardening.restartServer', async () => {
      output.info('Restarting the language server');
      await client?.restart();
    }),
    vscode.commands.registerCommand('hardening.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(SUPPRESS_COMMAND, suppressWithReason),
  );

  await client.start();
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
