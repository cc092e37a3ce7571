// Starts the real language server as a child process over stdio and talks to it
// with vscode-languageserver-protocol, recording what it publishes so tests can wait
// on protocol events (never on fixed sleeps).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type WorkspaceFolder,
  WorkDoneProgress,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { packageFile } from '../../server/src/engine/package-root';
import { AUDIT_PROGRESS_METHOD } from '../../server/src/lsp/protocol';
import { pathToUri } from '../../server/src/engine/paths';

export const SERVER_MAIN = packageFile('out/server/src/lsp/main.js');
const DEFAULT_TIMEOUT_MS = 30_000;

const created: string[] = [];

/** A fresh copy of `files` (relative path → text) in a temp directory (removed by `removeWorkspaces`). */
export function makeWorkspace(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hardening-lsp-')));
  created.push(root);
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

/** Removes the temp directories made so far (call after the servers using them stopped). */
export function removeWorkspaces(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export const FULL_CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    configuration: true,
    workspaceFolders: true,
    didChangeWatchedFiles: { dynamicRegistration: false },
  },
  textDocument: {
    publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
  },
  window: { workDoneProgress: true },
};

export interface StartOptions {
  readonly root: string;
  readonly serverMain?: string;
  readonly initializationOptions?: unknown;
  readonly capabilities?: ClientCapabilities;
  /** Answers `workspace/configuration` for the `hardening` section. */
  readonly settings?: unknown;
}

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

interface Waiter {
  check(): boolean;
}

export class TestClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly docs = new Map<string, TextDocument>();
  private stderr = '';
  private exited: number | null | undefined;
  settings: unknown;
  /** Answers `workspace/workspaceFolders`. */
  folders: WorkspaceFolder[] = [];
  initializeResult!: InitializeResult;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    readonly root: string,
  ) {}

  static async start(options: StartOptions): Promise<TestClient> {
    const child = spawn(process.execPath, [options.serverMain ?? SERVER_MAIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestClient(child, connection, options.root);
    client.settings = options.settings ?? { enable: true, rules: {}, exclude: [] };
    child.stderr!.on('data', (d) => (client.stderr += String(d)));
    child.on('exit', (code) => {
      client.exited = code;
      client.changed();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => client.record(client.diagnostics, p));
    connection.onNotification(ShowMessageNotification.type, (p) => client.record(client.messages, p));
    connection.onNotification(LogMessageNotification.type, (p) => client.record(client.logs, p));
    connection.onNotification(AUDIT_PROGRESS_METHOD, (params: unknown) => client.record(client.notifications, { method: AUDIT_PROGRESS_METHOD, params }));
    connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => client.settings));
    connection.onRequest('workspace/workspaceFolders', () => client.folders);
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('window/showMessageRequest', () => null);
    connection.listen();
    const exitedEarly = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`server exited (${code}) before initialize answered\n${client.stderr.slice(-2000)}`))),
    );
    client.folders = [{ uri: pathToUri(options.root), name: path.basename(options.root) }];
    const initialize = connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToUri(options.root),
      workspaceFolders: client.folders,
      capabilities: options.capabilities ?? FULL_CLIENT_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    exitedEarly.catch(() => undefined);
    client.initializeResult = await Promise.race([initialize, exitedEarly]);
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private record<T>(list: T[], item: T): void {
    list.push(item);
    this.changed();
  }

  private changed(): void {
    for (const w of [...this.waiters]) if (w.check()) this.waiters.delete(w);
  }

  /** Resolves with the first value `probe` returns (re-checked on every message from the server). */
  waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nserver stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check: () => {
          if (this.exited !== undefined) {
            clearTimeout(timer);
            reject(new Error(`server exited (${this.exited}) while waiting for ${what}\nstderr: ${this.stderr.slice(-2000)}`));
            return true;
          }
          const value = probe();
          if (value === undefined) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
      };
      if (!waiter.check()) this.waiters.add(waiter);
    });
  }

  /** The next publication for `uri` (after `since` publications were seen) that satisfies `accept`. */
  waitForDiagnostics(
    uri: string,
    accept: (p: PublishDiagnosticsParams) => boolean,
    what = 'diagnostics',
    since = 0,
  ): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`${what} on ${uri}`, () => this.diagnostics.slice(since).find((p) => p.uri === uri && accept(p)));
  }

  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    return [...this.diagnostics].reverse().find((p) => p.uri === uri);
  }

  uri(rel: string): string {
    return pathToUri(path.join(this.root, rel));
  }

  open(rel: string, text?: string, languageId = 'typescript'): TextDocument {
    const uri = this.uri(rel);
    const content = text ?? fs.readFileSync(path.join(this.root, rel), 'utf8');
    const doc = TextDocument.create(uri, languageId, 1, content);
    this.docs.set(uri, doc);
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text: content } });
    return doc;
  }

  /** Sends incremental changes and returns the new document. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): TextDocument {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    const version = doc.version + 1;
    TextDocument.update(doc, changes, version);
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return doc;
  }

  /** Replaces the whole text, as one incremental change over the full range. */
  replaceAll(uri: string, text: string): TextDocument {
    const doc = this.docs.get(uri)!;
    const end = doc.positionAt(doc.getText().length);
    return this.change(uri, [{ range: { start: { line: 0, character: 0 }, end }, text }]);
  }

  document(uri: string): TextDocument {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    return doc;
  }

  close(uri: string): void {
    this.docs.delete(uri);
    void this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async shutdown(): Promise<number | null> {
    if (this.exited !== undefined) return this.exited;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  /** For after-hooks: stop the child whatever state it is in. */
  async dispose(): Promise<void> {
    if (this.exited !== undefined) return;
    try {
      await Promise.race([this.shutdown(), new Promise((r) => setTimeout(r, 5000))]);
    } finally {
      if (this.exited === undefined) this.child.kill();
    }
  }

  /** Records `$/progress` reports on a client-created work-done token. */
  trackProgress(token: string): ProgressValue[] {
    const reports: ProgressValue[] = [];
    this.connection.onProgress(WorkDoneProgress.type, token, (value) => this.record(reports, value));
    return reports;
  }

  get stderrText(): string {
    return this.stderr;
  }
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}
