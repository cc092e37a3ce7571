// One TypeScript program per tsconfig/jsconfig (or one inferred program per
// workspace folder for files outside any), kept by a LanguageService over
// versioned snapshots: an edit re-parses one file and reuses the rest of the
// program, and the checker is only built when a rule asks for it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { DocumentStore } from './documents';
import { normalizePath } from './paths';

/**
 * Project files bigger than the folder's `maxFileSizeKb` are given to TypeScript as
 * empty: the rules skip them anyway, and parsing a multi-megabyte generated file
 * would stall every edit. Declaration files and node_modules are always read.
 */
export type SizeLimit = () => number;

const INFERRED_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  jsx: ts.JsxEmit.Preserve,
  esModuleInterop: true,
  skipLibCheck: true,
  strict: true,
  noEmit: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
};

// The typescript package ships the lib .d.ts files; ts-morph's bundled copy of the
// same version does not have them on disk. The bundled server (dist/server.js, no
// node_modules) finds copies of them beside itself, in dist/typescript-lib/.
const BUNDLED_LIB_DIR = path.join(__dirname, 'typescript-lib');
const LIB_DIR = fs.existsSync(path.join(BUNDLED_LIB_DIR, 'lib.d.ts'))
  ? BUNDLED_LIB_DIR
  : path.dirname(require.resolve('typescript/lib/lib.d.ts'));

export interface ProjectLoadProblem {
  readonly file: string;
  readonly message: string;
}

export class TsProject {
  readonly languageService: ts.LanguageService;
  private readonly rootFiles: Set<string>;
  private options: ts.CompilerOptions;
  private projectVersion = 0;
  readonly problems: ProjectLoadProblem[] = [];
  private cancelled: () => boolean = () => false;
  /** tsconfig paths of `references` (solution-style configs include nothing themselves). */
  readonly references: string[];

  constructor(
    /** The tsconfig/jsconfig path, or undefined for an inferred project. */
    readonly configFile: string | undefined,
    readonly directory: string,
    private readonly documents: DocumentStore,
    registry: ts.DocumentRegistry,
    private readonly maxBytes: SizeLimit,
  ) {
    const loaded = configFile ? this.readConfig(configFile) : undefined;
    this.options = { ...(loaded?.options ?? INFERRED_OPTIONS), noEmit: true };
    // Language-service plugins named in a tsconfig are never loaded: opening a
    // repository must execute nothing of it.
    delete this.options.plugins;
    this.rootFiles = new Set((loaded?.fileNames ?? []).map(normalizePath));
    this.references = (loaded?.projectReferences ?? []).map((r) => {
      const p = normalizePath(r.path);
      return p.endsWith('.json') ? p : `${p}/tsconfig.json`;
    });
    this.languageService = ts.createLanguageService(this.createHost(), registry);
  }

  private readConfig(configFile: string): ts.ParsedCommandLine | undefined {
    const host: ts.ParseConfigFileHost = {
      useCaseSensitiveFileNames: true,
      getCurrentDirectory: () => this.directory,
      fileExists: (f) => this.documents.exists(normalizePath(f)),
      readFile: (f) => this.documents.readText(normalizePath(f)),
      readDirectory: ts.sys.readDirectory,
      onUnRecoverableConfigFileDiagnostic: (d) => this.recordProblem(configFile, d),
    };
    let parsed: ts.ParsedCommandLine | undefined;
    try {
      parsed = ts.getParsedCommandLineOfConfigFile(configFile, { noEmit: true }, host);
    } catch (e) {
      // A circular or broken `extends` can make TypeScript throw; the file still gets the inferred options.
      this.problems.push({ file: configFile, message: `could not read ${path.basename(configFile)}: ${(e as Error).message}` });
      return undefined;
    }
    for (const d of parsed?.errors ?? []) {
      // "No inputs were found" is normal for a solution-style tsconfig.
      if (d.code !== 18003) this.recordProblem(configFile, d);
    }
    if (!parsed) return undefined;
    return parsed;
  }

  private recordProblem(file: string, d: ts.Diagnostic): void {
    this.problems.push({ file, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
  }

  private createHost(): ts.LanguageServiceHost {
    const docs = this.documents;
    return {
      getProjectVersion: () => String(this.projectVersion),
      getScriptFileNames: () => [...this.rootFiles],
      getScriptVersion: (f) => docs.version(normalizePath(f)),
      getScriptSnapshot: (f) => {
        const file = normalizePath(f);
        const size = docs.size(file);
        if (size === undefined) return undefined;
        if (size > this.maxBytes() && !file.includes('/node_modules/') && !/\.d\.[cm]?ts$/.test(file)) return ts.ScriptSnapshot.fromString('');
        const text = docs.readText(file);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCompilationSettings: () => this.options,
      getCurrentDirectory: () => this.directory,
      getDefaultLibFileName: (o) => path.join(LIB_DIR, ts.getDefaultLibFileName(o)),
      fileExists: (f) => docs.exists(normalizePath(f)),
      readFile: (f) => docs.readText(normalizePath(f)),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: (f) => {
        try {
          return fs.realpathSync.native(f);
        } catch {
          return f;
        }
      },
      useCaseSensitiveFileNames: () => true,
      getCancellationToken: () => ({ isCancellationRequested: () => this.cancelled() }),
    };
  }

  isInferred(): boolean {
    return this.configFile === undefined;
  }

  hasRootFile(file: string): boolean {
    return this.rootFiles.has(file);
  }

  rootFileNames(): string[] {
    return [...this.rootFiles];
  }

  /** Inferred projects grow as files outside any tsconfig are opened or audited. */
  addRootFile(file: string): void {
    if (!this.rootFiles.has(file)) {
      this.rootFiles.add(file);
      this.projectVersion++;
    }
  }

  removeRootFile(file: string): void {
    if (this.rootFiles.delete(file)) this.projectVersion++;
  }

  /** Something the program depends on changed (a document edit, a file on disk). */
  markChanged(): void {
    this.projectVersion++;
  }

  /** The up-to-date program; stale work is abandoned when `isCancelled` turns true. */
  program(isCancelled?: () => boolean): ts.Program {
    this.cancelled = isCancelled ?? (() => false);
    const program = this.languageService.getProgram();
    if (!program) throw new Error(`TypeScript produced no program for ${this.configFile ?? this.directory}`);
    return program;
  }

  dispose(): void {
    this.languageService.dispose();
  }
}
