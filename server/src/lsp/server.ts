// The language server's wiring: LSP messages in, Session (state and analysis),
// code actions and the workspace audit out. Started by the VS Code extension over
// IPC, by other editors over stdio, and by `harden lsp --stdio`.
import * as fs from 'node:fs';
import {
  CancellationTokenSource,
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  WorkDoneProgress,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { packageFile } from '../engine/package-root';
import { uriToPath } from '../engine/paths';
import { auditWorkspace, type AuditReporter } from './audit';
import { fixAllAction, kindRequested, quickFixActions } from './code-actions';
import { isOurDiagnostic } from './diagnostics';
import {
  AUDIT_PROGRESS_METHOD,
  AUDIT_WORKSPACE_METHOD,
  FIX_ALL_KIND,
  REPORT_METHOD,
  REPORT_UPDATED_METHOD,
  WATCHED_FILE_GLOBS,
  type AuditParams,
  type AuditResult,
  type HardeningInitializationOptions,
  type ReportParams,
} from './protocol';
import { reportRequest } from './report';
import { fileOf, Session } from './session';
import { parseSettings, SETTINGS_SECTION, type ServerSettings } from './settings';
import type { EditCapabilities } from './workspace-edit';

interface ClientState {
  readonly pullsConfiguration: boolean;
  readonly workspaceFolders: boolean;
  readonly edits: EditCapabilities;
  readonly options: HardeningInitializationOptions;
  readonly capabilities: ClientCapabilities;
}

function serverVersion(): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(packageFile('package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

async function pullSettings(connection: Connection, client: ClientState): Promise<ServerSettings | undefined> {
  if (!client.pullsConfiguration) return undefined;
  try {
    return parseSettings(await connection.workspace.getConfiguration({ section: SETTINGS_SECTION }));
  } catch (e) {
    connection.console.warn(`Could not read the ${SETTINGS_SECTION} settings: ${(e as Error).message}`);
    return undefined;
  }
}

function auditReporter(connection: Connection, workDoneToken: string | number | undefined): AuditReporter {
  if (workDoneToken === undefined) {
    return {
      begin: (total) => void connection.sendNotification(AUDIT_PROGRESS_METHOD, { done: 0, total }),
      report: (p) => void connection.sendNotification(AUDIT_PROGRESS_METHOD, p),
      end: () => undefined,
    };
  }
  return {
    begin: (total) =>
      void connection.sendProgress(WorkDoneProgress.type, workDoneToken, {
        kind: 'begin',
        title: 'Hardening: auditing the workspace',
        cancellable: true,
        message: `0/${total} files`,
        percentage: 0,
      }),
    report: (p) =>
      void connection.sendProgress(WorkDoneProgress.type, workDoneToken, {
        kind: 'report',
        message: `${p.done}/${p.total} files`,
        percentage: p.total === 0 ? 100 : Math.floor((100 * p.done) / p.total),
      }),
    end: (r: AuditResult) =>
      void connection.sendProgress(WorkDoneProgress.type, workDoneToken, {
        kind: 'end',
        message: `${r.findings} finding${r.findings === 1 ? '' : 's'} in ${r.files} files${r.cancelled ? ' (cancelled)' : ''}`,
      }),
  };
}

export function startLanguageServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const session = new Session(connection);
  let client: ClientState | undefined;
  let initialRoots: string[] = [];
  let initialSettings: ServerSettings | undefined;
  let runningAudit: CancellationTokenSource | undefined;

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    const options = (params.initializationOptions ?? {}) as HardeningInitializationOptions;
    client = {
      capabilities: caps,
      pullsConfiguration: caps.workspace?.configuration === true,
      workspaceFolders: caps.workspace?.workspaceFolders === true,
      edits: {
        documentChanges: caps.workspace?.workspaceEdit?.documentChanges === true,
        createFiles: caps.workspace?.workspaceEdit?.resourceOperations?.includes('create') === true,
      },
      options,
    };
    initialRoots =
      params.workspaceFolders?.map((f) => uriToPath(f.uri)) ??
      (params.rootUri ? [uriToPath(params.rootUri)] : params.rootPath ? [params.rootPath] : []);
    initialSettings = options.settings === undefined ? undefined : parseSettings((options.settings as Record<string, unknown>)[SETTINGS_SECTION] ?? options.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'production-hardening', version: serverVersion() },
    };
  });

  connection.onInitialized(async () => {
    if (!client) return;
    const caps = client.capabilities;
    if (caps.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    if (caps.workspace?.didChangeWatchedFiles?.dynamicRegistration && !client.options.clientWatchesFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: WATCHED_FILE_GLOBS.map((globPattern) => ({ globPattern })),
      });
    }
    if (client.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(async () => {
        const folders = (await connection.workspace.getWorkspaceFolders()) ?? [];
        session.configure(folders.map((f) => uriToPath(f.uri)), undefined);
      });
    }
    // Only now may the server publish (diagnostics of a broken .hardening.json among them);
    // documents opened meanwhile are analysed once this is done.
    session.configure(initialRoots, (await pullSettings(connection, client)) ?? initialSettings);
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (!client) return;
    const settings = client.pullsConfiguration
      ? await pullSettings(connection, client)
      : parseSettings((change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION]);
    if (settings) session.configure(undefined, settings);
  });

  connection.onDidChangeWatchedFiles((params) => session.onWatchedFiles(params.changes));

  connection.onCodeAction((params): CodeAction[] => {
    const uri = params.textDocument.uri;
    const file = fileOf(uri);
    if (!client || !file || !session.enabled) return [];
    const only = params.context.only;
    const wantQuickFixes = kindRequested(only, CodeActionKind.QuickFix);
    const wantFixAll = kindRequested(only, FIX_ALL_KIND);
    const ours = params.context.diagnostics.filter(isOurDiagnostic);
    if (!wantFixAll && (!wantQuickFixes || ours.length === 0)) return [];
    const ctx = {
      uri,
      file,
      findings: session.currentFindings(uri),
      source: session.textSource(),
      caps: client.edits,
      suppressCommand: client.options.suppressWithReasonCommand,
    };
    const actions = wantQuickFixes ? quickFixActions(ctx, ours) : [];
    const fixAll = wantFixAll ? fixAllAction(ctx) : undefined;
    return fixAll ? [...actions, fixAll] : actions;
  });

  connection.onRequest(AUDIT_WORKSPACE_METHOD, async (params: AuditParams | undefined, token: CancellationToken) => {
    if (!session.enabled) {
      return new ResponseError(ErrorCodes.InvalidRequest, 'Production Hardening is disabled (the hardening.enable setting is false).');
    }
    // A new audit replaces one still running.
    runningAudit?.cancel();
    const source = new CancellationTokenSource();
    runningAudit = source;
    const subscription = token.onCancellationRequested(() => source.cancel());
    try {
      const result = await auditWorkspace(session, source.token, auditReporter(connection, params?.workDoneToken));
      if (!result.cancelled) void connection.sendNotification(REPORT_UPDATED_METHOD, {});
      return result;
    } finally {
      subscription.dispose();
      if (runningAudit === source) runningAudit = undefined;
      source.dispose();
    }
  });

  connection.onRequest(REPORT_METHOD, async (params: ReportParams | undefined) => {
    if (!session.enabled) {
      return new ResponseError(ErrorCodes.InvalidRequest, 'Production Hardening is disabled (the hardening.enable setting is false).');
    }
    return reportRequest(session, params);
  });

  connection.onShutdown(() => {
    runningAudit?.cancel();
    session.dispose();
  });

  process.on('unhandledRejection', (reason) => {
    connection.console.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });

  session.listen();
  connection.listen();
}
