// The workspace model: folders, their configuration, their TypeScript projects and
// the open documents; `analyzeFile` is the one entry point both the language
// server and the CLI use, so the editor and CI never disagree.
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { Rule, Severity } from '../../../rules/api';
import { ALL_RULES } from '../../../rules/index';
import { collectEndpoints } from '../../../rules/inventory/endpoints';
import { META_RULES, SKIPPED_FILE } from '../../../rules/meta';
import { CONFIG_FILE_NAME, loadConfig, type ConfigProblem, type LoadedConfig, type UserSettings } from './config';
import { ExcludeMatcher, discoverSourceFiles } from './discovery';
import { DocumentStore } from './documents';
import type { FileAnalysis, Finding } from './finding';
import { skipReason } from './file-filter';
import { isAnalysable, isWithin, normalizePath } from './paths';
import { WorkspaceFacts } from './project-facts';
import { metaFinding, runRules, type EnabledRule } from './runner';
import { TsProject, type ProjectLoadProblem } from './ts-project';

export interface WorkspaceOptions {
  readonly roots: readonly string[];
  readonly userSettings?: UserSettings;
  /** Defaults to the whole catalogue; tests pass their own. */
  readonly rules?: readonly Rule[];
}

export interface AnalyzeOptions {
  /** Run only the rules that need no type checker (the fast first phase of an edit). */
  readonly syntacticOnly?: boolean;
  /** Only the rules of the type-aware phase (after a syntactic-only run). */
  readonly typeAwareOnly?: boolean;
  readonly isCancelled?: () => boolean;
  /** Multiplies the configured timeBudgetMs (batch audits use a larger budget than the editor). */
  readonly budgetScale?: number;
  /** Also collect the file's endpoint inventory (`FileAnalysis.endpoints`); never on syntactic-only runs. */
  readonly inventory?: boolean;
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

class Folder {
  loaded!: LoadedConfig;
  matcher!: ExcludeMatcher;
  readonly facts: WorkspaceFacts;
  readonly projects = new Map<string, TsProject>();
  inferred: TsProject | undefined;

  constructor(
    readonly root: string,
    private readonly documents: DocumentStore,
    private userSettings: UserSettings,
  ) {
    this.facts = new WorkspaceFacts(root, documents, () => this.matcher);
    this.reloadConfig();
  }

  /** New user-level settings: the config is re-read, the TypeScript projects are kept. */
  setUserSettings(userSettings: UserSettings): void {
    this.userSettings = userSettings;
    this.reloadConfig();
  }

  reloadConfig(): void {
    this.loaded = loadConfig(this.root, (f) => this.documents.readText(f), this.userSettings);
    this.matcher = new ExcludeMatcher(this.root, this.loaded.config.exclude);
    this.facts.invalidate();
  }

  maxBytes(): number {
    return this.loaded.config.maxFileSizeKb * 1024;
  }

  allProjects(): TsProject[] {
    return [...this.projects.values(), ...(this.inferred ? [this.inferred] : [])];
  }

  dispose(): void {
    for (const p of this.allProjects()) p.dispose();
    this.projects.clear();
    this.inferred = undefined;
  }
}

export class Workspace {
  readonly documents = new DocumentStore();
  private readonly registry = ts.createDocumentRegistry(true);
  private readonly folders: Folder[];
  private readonly rules: readonly Rule[];
  private readonly knownRuleIds: Set<string>;
  private readonly looseFolders = new Map<string, Folder>();
  private userSettings: UserSettings;

  constructor(options: WorkspaceOptions) {
    this.rules = options.rules ?? ALL_RULES;
    this.knownRuleIds = new Set([...ALL_RULES, ...this.rules, ...META_RULES].map((r) => r.id));
    this.userSettings = options.userSettings ?? {};
    this.folders = options.roots.map((r) => new Folder(normalizePath(r), this.documents, this.userSettings));
  }

  get roots(): string[] {
    return this.folders.map((f) => f.root);
  }

  /**
   * New user-level settings (the editor's `hardening.rules`/`hardening.exclude`): each
   * folder re-reads its config; the TypeScript programs are kept, so this is cheap.
   */
  updateUserSettings(userSettings: UserSettings): void {
    this.userSettings = userSettings;
    for (const f of [...this.folders, ...this.looseFolders.values()]) f.setUserSettings(userSettings);
  }

  configProblems(): ConfigProblem[] {
    return this.folders.flatMap((f) => [...f.loaded.problems]);
  }

  projectProblems(): ProjectLoadProblem[] {
    return this.folders.flatMap((f) => f.allProjects().flatMap((p) => p.problems));
  }

  /** The folder a file belongs to (the deepest root containing it), or a folder made for its directory. */
  private folderOf(file: string): Folder {
    let best: Folder | undefined;
    for (const f of this.folders) if (isWithin(f.root, file) && (!best || f.root.length > best.root.length)) best = f;
    if (best) return best;
    const dir = path.posix.dirname(file);
    let loose = this.looseFolders.get(dir);
    if (!loose) {
      loose = new Folder(dir, this.documents, this.userSettings);
      this.looseFolders.set(dir, loose);
    }
    return loose;
  }

  /** The project that compiles `file`: the nearest tsconfig/jsconfig that includes it, else the folder's inferred one. */
  private projectOf(folder: Folder, file: string): TsProject {
    for (const project of folder.allProjects()) if (project.hasRootFile(file)) return project;
    let dir = path.posix.dirname(file);
    while (isWithin(folder.root, dir)) {
      for (const name of CONFIG_NAMES) {
        const candidate = path.posix.join(dir, name);
        if (!this.documents.exists(candidate)) continue;
        const project = this.configuredProject(folder, candidate, new Set(), file);
        if (project) return project;
        break;
      }
      if (dir === folder.root) break;
      dir = path.posix.dirname(dir);
    }
    folder.inferred ??= new TsProject(undefined, folder.root, this.documents, this.registry, () => folder.maxBytes());
    folder.inferred.addRootFile(file);
    return folder.inferred;
  }

  /** The project of `configFile` (or one of its references) that includes `file`. */
  private configuredProject(folder: Folder, configFile: string, visited: Set<string>, file?: string): TsProject | undefined {
    if (visited.has(configFile)) return undefined;
    visited.add(configFile);
    let project = folder.projects.get(configFile);
    if (!project) {
      project = new TsProject(configFile, path.posix.dirname(configFile), this.documents, this.registry, () => folder.maxBytes());
      folder.projects.set(configFile, project);
    }
    if (!file || project.hasRootFile(file)) return project;
    for (const ref of project.references) {
      const found = this.configuredProject(folder, ref, visited, file);
      if (found) return found;
    }
    return undefined;
  }

  openDocument(file: string, text: string, version: number): void {
    this.changeDocument(file, text, version);
  }

  changeDocument(file: string, text: string, version: number): void {
    const key = normalizePath(file);
    this.documents.set(key, text, version);
    this.afterChange(key);
  }

  closeDocument(file: string): void {
    const key = normalizePath(file);
    this.documents.close(key);
    this.afterChange(key);
  }

  /** A watched file changed, was created or deleted on disk. */
  fileChangedOnDisk(file: string): void {
    const key = normalizePath(file);
    this.documents.touchDisk(key);
    this.afterChange(key);
  }

  private afterChange(file: string): void {
    const base = path.posix.basename(file);
    for (const folder of [...this.folders, ...this.looseFolders.values()]) {
      if (!isWithin(folder.root, file)) continue;
      if (base === CONFIG_FILE_NAME && path.posix.dirname(file) === folder.root) folder.reloadConfig();
      if (CONFIG_NAMES.includes(base)) {
        // A tsconfig changed: rebuild that folder's projects from scratch on next use.
        folder.dispose();
      }
      if (base === 'package.json' || base === '.gitignore' || !isAnalysable(file)) folder.facts.invalidate();
      if (base === '.gitignore') folder.reloadConfig();
      for (const p of folder.allProjects()) p.markChanged();
    }
  }

  isExcluded(file: string): boolean {
    const key = normalizePath(file);
    return this.folderOf(key).matcher.isExcluded(key);
  }

  /** The files a workspace audit covers, per folder. */
  listFiles(): string[] {
    const files = new Set<string>();
    for (const folder of this.folders) for (const f of discoverSourceFiles(folder.root, folder.matcher)) files.add(f);
    return [...files].sort();
  }

  /**
   * Registers files with their projects before an audit, so each inferred program
   * is built once with all of them rather than once per file.
   */
  prepare(files: readonly string[]): void {
    for (const f of files) {
      const key = normalizePath(f);
      const folder = this.folderOf(key);
      // A file the audit will skip as too large need not join an inferred program.
      if ((this.documents.size(key) ?? 0) > folder.maxBytes()) continue;
      this.projectOf(folder, key);
    }
  }

  ruleSeverity(folder: Folder, id: string, fallback: Severity): Severity | 'off' {
    return folder.loaded.config.rules[id]?.severity ?? fallback;
  }

  private enabledRules(folder: Folder, opts: AnalyzeOptions): EnabledRule[] {
    const out: EnabledRule[] = [];
    for (const rule of this.rules) {
      if (opts.syntacticOnly && rule.needsTypes) continue;
      if (opts.typeAwareOnly && !rule.needsTypes) continue;
      const setting = folder.loaded.config.rules[rule.id];
      const severity = setting?.severity ?? rule.defaultSeverity;
      if (severity === 'off') continue;
      out.push({ rule, severity, options: setting?.options ?? {} });
    }
    return out;
  }

  analyzeFile(file: string, opts: AnalyzeOptions = {}): FileAnalysis {
    const fileName = normalizePath(file);
    const folder = this.folderOf(fileName);
    const version = this.documents.version(fileName);
    const base = { fileName, version, ruleFailures: [], budgetSkipped: [], budgetCutShort: [], cancelled: false };
    if (!isAnalysable(fileName) || folder.matcher.isExcluded(fileName)) return { ...base, findings: [] };

    const text = this.documents.readText(fileName);
    if (text === undefined) return { ...base, findings: [], skipped: 'file could not be read' };
    const skip = skipReason(text, this.documents.size(fileName) ?? text.length, folder.loaded.config.maxFileSizeKb);
    if (skip) return { ...base, findings: this.skippedFinding(folder, fileName, skip.reason), skipped: skip.reason };

    const isCancelled = opts.isCancelled ?? (() => false);
    const project = this.projectOf(folder, fileName);
    let program: ts.Program;
    try {
      program = project.program(isCancelled);
    } catch (e) {
      if (e instanceof ts.OperationCanceledException) return { ...base, findings: [], cancelled: true };
      throw e;
    }
    const sourceFile = program.getSourceFile(fileName);
    if (!sourceFile) return { ...base, findings: [], skipped: 'TypeScript did not load the file' };

    // Batch runs (the CLI) have no one waiting at a keystroke: they give rules more room, since a
    // cold checker resolving heavy library types can take seconds on the first file.
    const budgetMs = folder.loaded.config.timeBudgetMs * (opts.budgetScale ?? 1);
    const run = runRules({
      sourceFile,
      fileName,
      program: () => project.program(isCancelled),
      facts: folder.facts.bind(() => project.program(isCancelled)),
      rules: this.enabledRules(folder, opts),
      metaSeverity: (id) => this.ruleSeverity(folder, id, META_RULES.find((m) => m.id === id)?.defaultSeverity ?? 'warning'),
      isKnownRule: (id) => this.knownRuleIds.has(id),
      budgetMs,
      isCancelled,
      root: folder.root,
      readText: (f) => this.documents.readText(f),
      inventory: opts.inventory && !opts.syntacticOnly ? collectEndpoints : undefined,
    });
    const findings = [...run.findings];
    if (run.budgetSkipped.length > 0 || run.cutShort.length > 0) {
      const parts = [
        run.budgetSkipped.length > 0 ? `not run: ${run.budgetSkipped.join(', ')}` : '',
        run.cutShort.length > 0 ? `cut short: ${run.cutShort.join(', ')}` : '',
      ].filter(Boolean);
      const reason = `analysis stopped after ${budgetMs} ms (timeBudgetMs); ${parts.join('; ')}`;
      findings.push(...this.skippedFinding(folder, fileName, reason, sourceFile));
    }
    return {
      ...base,
      findings,
      ruleFailures: run.failures,
      budgetSkipped: run.budgetSkipped,
      budgetCutShort: run.cutShort,
      cancelled: run.cancelled,
      ...(run.endpoints ? { endpoints: run.endpoints } : {}),
    };
  }

  private skippedFinding(folder: Folder, fileName: string, reason: string, sf?: ts.SourceFile): Finding[] {
    const severity = this.ruleSeverity(folder, SKIPPED_FILE.id, SKIPPED_FILE.defaultSeverity);
    if (severity === 'off') return [];
    const sourceFile = sf ?? ts.createSourceFile(fileName, '', ts.ScriptTarget.Latest);
    return [metaFinding({ sourceFile, fileName, root: folder.root }, SKIPPED_FILE.id, severity, 0, 0, `Production Hardening skipped this file: ${reason}.`)];
  }

  /** The up-to-date program that compiles `file` (tests use it to type-check fixtures and fixes). */
  programFor(file: string): ts.Program {
    const key = normalizePath(file);
    return this.projectOf(this.folderOf(key), key).program();
  }

  /** The current text of a file as the engine sees it (open buffer or disk). */
  readText(file: string): string | undefined {
    return this.documents.readText(normalizePath(file));
  }

  dispose(): void {
    for (const f of [...this.folders, ...this.looseFolders.values()]) f.dispose();
  }
}
