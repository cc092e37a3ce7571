// The server's state: one engine Workspace over the workspace folders, the open
// documents overlaid on it, the last full analysis of each open document (for code
// actions) and what has been published where, so stale diagnostics can be cleared.
import * as path from 'node:path';
import { FileChangeType, TextDocuments, type Connection, type Diagnostic, type FileEvent, type TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ALL_RULES } from '../../../rules/index';
import { CONFIG_FILE_NAME } from '../engine/config';
import type { FileAnalysis, Finding } from '../engine/finding';
import { isAnalysable, pathToUri, uriToPath } from '../engine/paths';
import { Workspace } from '../engine/workspace';
import { ConfigProblemReporter } from './config-problems';
import { findingToDiagnostic } from './diagnostics';
import { ServerLog } from './log';
import { shiftRange } from './range-tracking';
import { ReportStore } from './report-store';
import { AnalysisScheduler, yieldToEventLoop, type RunToken } from './scheduler';
import { DEFAULT_SETTINGS, engineSettingsChanged, userSettingsOf, type ServerSettings } from './settings';
import type { TextSource } from './workspace-edit';

const DEBOUNCE_MS = 150;
/** Other open documents may depend on the edited one (types, imports): re-analysed once typing pauses. */
const DEPENDENTS_DELAY_MS = 750;
const TYPE_AWARE_RULES = new Set(ALL_RULES.filter((r) => r.needsTypes).map((r) => r.id));

interface LatestAnalysis {
  /** `Session.generation` when it was computed: any edit or disk change since may have changed it. */
  readonly generation: number;
  readonly version: number;
  readonly findings: readonly Finding[];
}

export function fileOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? uriToPath(uri) : undefined;
}

export class Session {
  readonly documents: TextDocuments<TextDocument>;
  readonly log: ServerLog;
  /** The Hardening report's findings and endpoints: filled by the audit, kept current by the analyses here. */
  readonly reports = new ReportStore();
  private workspace: Workspace;
  private roots: string[] = [];
  private settings: ServerSettings = DEFAULT_SETTINGS;
  private readonly scheduler: AnalysisScheduler;
  /** file → the client's URI of the open document (clients spell URIs their own way). */
  private readonly openUris = new Map<string, string>();
  private readonly latest = new Map<string, LatestAnalysis>();
  /** uri → the type-aware diagnostics of the last full run, moved along with edits since. */
  private readonly carried = new Map<string, Diagnostic[]>();
  /** URIs holding diagnostics from document analysis or an audit. */
  private readonly published = new Set<string>();
  /** Files whose diagnostics come from the last audit. */
  private readonly audited = new Set<string>();
  private readonly configProblems: ConfigProblemReporter;
  private configured = false;
  /** Bumped when folders or settings change: results computed before are stale. */
  private epochCounter = 0;
  /** Bumped on every change of what the engine sees (edits, disk, settings). */
  private generation = 0;

  constructor(private readonly connection: Connection) {
    this.log = new ServerLog(connection.console);
    this.configProblems = new ConfigProblemReporter(connection, this.log);
    this.documents = new TextDocuments<TextDocument>({
      create: TextDocument.create,
      update: (doc, changes, version) => {
        this.shiftCarried(doc.uri, changes);
        return TextDocument.update(doc, changes, version);
      },
    });
    this.scheduler = new AnalysisScheduler(
      DEBOUNCE_MS,
      (uri, token) => this.analyseDocument(uri, token),
      (uri, e) => this.log.error(`Analysis of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    );
    this.workspace = new Workspace({ roots: [] });
  }

  get enabled(): boolean {
    return this.settings.enable;
  }

  currentWorkspace(): Workspace {
    return this.workspace;
  }

  epoch(): number {
    return this.epochCounter;
  }

  listen(): void {
    // Fired for didOpen too.
    this.documents.onDidChangeContent((e) => this.onOpenOrChange(e.document));
    this.documents.onDidClose((e) => this.onClose(e.document));
    this.documents.listen(this.connection);
  }

  /**
   * New folders (a new engine Workspace) and/or settings (the same Workspace, config
   * re-read): what was computed before is dropped and the open documents are re-analysed.
   */
  configure(roots: readonly string[] | undefined, settings: ServerSettings | undefined): void {
    const newRoots = roots ? [...roots] : this.roots;
    const newSettings = settings ?? this.settings;
    const rebuild = !this.configured || JSON.stringify(newRoots) !== JSON.stringify(this.roots);
    const engineSettings = engineSettingsChanged(newSettings, this.settings);
    const enabledChanged = newSettings.enable !== this.settings.enable;
    this.roots = newRoots;
    this.settings = newSettings;
    this.configured = true;
    if (!rebuild && !engineSettings && !enabledChanged) return;
    this.epochCounter++;
    this.generation++;
    this.scheduler.cancelAll();
    this.latest.clear();
    this.carried.clear();
    this.reports.reset();
    this.log.forget();
    if (rebuild) this.rebuildWorkspace();
    // Rules and excludes only: the TypeScript programs stay, the config is re-read.
    else if (engineSettings) this.workspace.updateUserSettings(userSettingsOf(this.settings));
    this.refreshAll();
  }

  private rebuildWorkspace(): void {
    this.workspace.dispose();
    this.workspace = new Workspace({ roots: this.roots, userSettings: userSettingsOf(this.settings) });
    for (const doc of this.documents.all()) {
      const file = fileOf(doc.uri);
      if (file) this.workspace.openDocument(file, doc.getText(), doc.version);
    }
  }

  /** Clears stale diagnostics, then re-publishes config problems and re-analyses open documents. */
  private refreshAll(): void {
    for (const uri of [...this.published]) {
      // Open documents keep theirs until the new analysis replaces them (no flicker).
      if (this.enabled && this.documents.get(uri)) continue;
      this.clear(uri);
    }
    this.audited.clear();
    this.refreshConfigProblems();
    this.scheduleAllOpen();
  }

  private scheduleAllOpen(delayMs?: number, except?: string): void {
    for (const doc of this.documents.all()) {
      const file = fileOf(doc.uri);
      if (file && isAnalysable(file) && doc.uri !== except) this.scheduler.schedule(doc.uri, delayMs);
    }
  }

  private onOpenOrChange(doc: TextDocument): void {
    const file = fileOf(doc.uri);
    if (!file) return;
    const opening = !this.openUris.has(file);
    this.openUris.set(file, doc.uri);
    this.workspace.changeDocument(file, doc.getText(), doc.version);
    this.generation++;
    if (isAnalysable(file)) {
      this.reports.markEdited(file);
      this.scheduler.schedule(doc.uri);
      if (!opening) this.scheduleAllOpen(DEPENDENTS_DELAY_MS, doc.uri);
    } else {
      // A config or project file edited in the editor (clients that sync them): findings elsewhere may change.
      this.afterProjectChange([file]);
    }
  }

  private onClose(doc: TextDocument): void {
    const file = fileOf(doc.uri);
    if (!file) return;
    this.scheduler.cancel(doc.uri);
    this.openUris.delete(file);
    this.workspace.closeDocument(file);
    this.generation++;
    this.latest.delete(file);
    this.carried.delete(doc.uri);
    if (!isAnalysable(file)) return this.afterProjectChange([file]);
    // Unsaved edits are gone with the buffer: documents depending on it may read differently now.
    this.scheduleAllOpen(DEPENDENTS_DELAY_MS);
    if (this.enabled && this.audited.has(file)) {
      // Keep the audit's view of the file: its content on disk.
      this.publishAnalysis(this.workspace.analyzeFile(file));
    } else {
      this.clear(doc.uri);
    }
  }

  /** Watched files changed on disk. */
  onWatchedFiles(changes: readonly FileEvent[]): void {
    const files: string[] = [];
    const reaudit: string[] = [];
    for (const change of changes) {
      const file = fileOf(change.uri);
      // An open document's buffer is what the engine reads: its file being saved changes nothing.
      if (!file || this.isOpen(file)) continue;
      this.workspace.fileChangedOnDisk(file);
      files.push(file);
      if (change.type === FileChangeType.Deleted) this.reports.drop(file);
      if (!this.audited.has(file)) continue;
      if (change.type === FileChangeType.Deleted) {
        this.audited.delete(file);
        this.clear(pathToUri(file));
      } else {
        reaudit.push(file);
      }
    }
    if (files.length > 0) this.afterProjectChange(files);
    if (reaudit.length > 0) void this.reanalyseClosed(reaudit, this.epochCounter);
  }

  /** Files an audit published that changed on disk (a checkout, a formatter) get fresh diagnostics. */
  private async reanalyseClosed(files: readonly string[], epoch: number): Promise<void> {
    for (const file of files) {
      await yieldToEventLoop();
      if (this.epochCounter !== epoch || !this.enabled || this.isOpen(file) || !this.audited.has(file)) continue;
      this.publishAnalysis(this.workspace.analyzeFile(file));
    }
  }

  private afterProjectChange(files: readonly string[]): void {
    this.generation++;
    this.latest.clear();
    if (files.some((f) => path.posix.basename(f) === CONFIG_FILE_NAME || path.posix.basename(f) === '.gitignore')) this.refreshConfigProblems();
    this.scheduleAllOpen();
  }

  private shiftCarried(uri: string, changes: readonly TextDocumentContentChangeEvent[]): void {
    const diagnostics = this.carried.get(uri);
    if (!diagnostics) return;
    const moved: Diagnostic[] = [];
    for (const d of diagnostics) {
      const range = shiftRange(d.range, changes);
      if (range) moved.push({ ...d, range });
    }
    this.carried.set(uri, moved);
  }

  /** Two phases: the syntactic findings right away, then the full result. Nothing is published for a stale version. */
  private async analyseDocument(uri: string, token: RunToken): Promise<void> {
    const doc = this.documents.get(uri);
    const file = fileOf(uri);
    if (!doc || !file || !this.enabled || !this.configured) return;
    const version = doc.version;
    const workspace = this.workspace;
    const epoch = this.epochCounter;
    const generation = this.generation;
    const stale = () => token.cancelled || this.documents.get(uri)?.version !== version || this.epochCounter !== epoch || !this.enabled;

    const quick = workspace.analyzeFile(file, { syntacticOnly: true, isCancelled: stale });
    this.log.analysis(quick);
    if (stale() || quick.cancelled) return;
    const complete = quick.skipped !== undefined || TYPE_AWARE_RULES.size === 0;
    if (!complete) {
      const diagnostics = quick.findings.map((f) => findingToDiagnostic(f, String(version)));
      this.publish(uri, version, [...diagnostics, ...(this.carried.get(uri) ?? [])]);
      await yieldToEventLoop();
      if (stale()) return;
    }
    // A code action request may already have analysed this version.
    const earlier = this.latest.get(file);
    const findings = earlier?.version === version && earlier.generation === generation ? earlier.findings : this.fullAnalysis(workspace, file, complete ? quick : undefined, stale);
    if (!findings || stale()) return;
    this.latest.set(file, { generation, version, findings });
    const diagnostics = findings.map((f) => findingToDiagnostic(f, String(version)));
    this.carried.set(uri, diagnostics.filter((d) => TYPE_AWARE_RULES.has(String(d.code))));
    this.publish(uri, version, diagnostics);
  }

  private fullAnalysis(workspace: Workspace, file: string, done: FileAnalysis | undefined, stale: () => boolean): readonly Finding[] | undefined {
    const full = done ?? workspace.analyzeFile(file, { isCancelled: stale });
    if (!done) this.log.analysis(full);
    this.log.projectProblems(workspace.projectProblems());
    return full.cancelled ? undefined : full.findings;
  }

  /** The findings of the document's current version (analysed now if the last run is stale). */
  currentFindings(uri: string): readonly Finding[] {
    const file = fileOf(uri);
    const doc = this.documents.get(uri);
    if (!file || !doc || !this.enabled) return [];
    const latest = this.latest.get(file);
    if (latest && latest.version === doc.version && latest.generation === this.generation) return latest.findings;
    const analysis = this.workspace.analyzeFile(file);
    this.log.analysis(analysis);
    if (analysis.cancelled) return [];
    this.latest.set(file, { generation: this.generation, version: doc.version, findings: analysis.findings });
    return analysis.findings;
  }

  /** Texts, versions and URIs for building edits: open buffers first, then disk. */
  textSource(): TextSource {
    return {
      text: (file) => {
        const uri = this.openUris.get(file);
        const doc = uri ? this.documents.get(uri) : undefined;
        return doc ? doc.getText() : this.workspace.readText(file);
      },
      version: (file) => {
        const uri = this.openUris.get(file);
        return (uri === undefined ? undefined : this.documents.get(uri)?.version) ?? null;
      },
      uri: (file) => this.openUris.get(file) ?? pathToUri(file),
    };
  }

  logAnalysis(analysis: FileAnalysis): void {
    this.log.analysis(analysis);
  }

  isOpen(file: string): boolean {
    return this.openUris.has(file);
  }

  /** Publishes an analysis of a file not open in the editor (audit, close). */
  publishAnalysis(analysis: FileAnalysis): void {
    this.log.analysis(analysis);
    if (analysis.cancelled) return;
    this.reports.record(analysis);
    this.audited.add(analysis.fileName);
    const uri = pathToUri(analysis.fileName);
    this.publish(uri, undefined, analysis.findings.map((f) => findingToDiagnostic(f, analysis.version)));
  }

  /** Forgets audit diagnostics of files the new audit no longer covers. */
  retainAudited(files: ReadonlySet<string>): void {
    for (const file of [...this.audited]) {
      if (files.has(file) || this.isOpen(file)) continue;
      this.audited.delete(file);
      this.clear(pathToUri(file));
    }
  }

  private publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void {
    if (diagnostics.length > 0) this.published.add(uri);
    else this.published.delete(uri);
    this.connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
  }

  private clear(uri: string): void {
    this.published.delete(uri);
    this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** `.hardening.json` problems: diagnostics on the file, and one message per change. */
  refreshConfigProblems(): void {
    const problems = this.enabled ? this.workspace.configProblems() : [];
    this.configProblems.update(problems, (file) => this.openUris.get(file) ?? pathToUri(file), (file) => this.workspace.readText(file));
  }

  dispose(): void {
    this.scheduler.cancelAll();
    this.workspace.dispose();
  }
}
