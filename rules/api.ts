// The contract between the rule catalogue and the engine. Rules import only this
// file and rules/shared/*; the engine implements RuleContext. Nothing here knows
// about LSP, the terminal or the file system.
import type { ts, CompilerNodeToWrappedType } from 'ts-morph';
import type { ControlId } from './inventory/types';

/** A protection an HTTP endpoint needs (a column of the report's endpoint matrix). */
export type EndpointConcern = ControlId;

export type Category =
  | 'security'
  | 'auth'
  | 'validation'
  | 'error-handling'
  | 'performance'
  | 'edge-cases'
  | 'observability'
  | 'compliance';

export const CATEGORIES: readonly Category[] = [
  'security',
  'auth',
  'validation',
  'error-handling',
  'performance',
  'edge-cases',
  'observability',
  'compliance',
];

export type Severity = 'error' | 'warning' | 'info';

export interface Rule {
  /** kebab-case and stable: it appears in suppressions, config and SARIF. Equals the file name. */
  readonly id: string;
  readonly category: Category;
  /** CWE numbers that apply (empty when none does). */
  readonly cwe: readonly number[];
  readonly defaultSeverity: Severity;
  /** One line, shown in rule lists, SARIF shortDescription and the README table. */
  readonly description: string;
  /** True when the rule asks the type checker; syntactic rules are published first on the edit path. */
  readonly needsTypes: boolean;
  /** True when findings offer a fix. */
  readonly fixable: boolean;
  /**
   * The endpoint protections its findings are about (e.g. `validation`): a finding inside a
   * route handler turns that column of the report's endpoint matrix red. A finding may say
   * otherwise (`FindingInput.concerns`); rules about no endpoint protection leave it out.
   */
  readonly concerns?: readonly EndpointConcern[];
  check(ctx: RuleContext): void;
}

export interface RuleContext {
  /** The raw TypeScript compiler API (the copy ts-morph bundles, shared by the whole engine). */
  readonly ts: typeof ts;
  readonly sourceFile: ts.SourceFile;
  /** Absolute path with forward slashes. */
  readonly fileName: string;
  /** Built lazily: a syntactic rule that never touches it never pays for type checking. */
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /** Read-only facts about the project the file belongs to. */
  readonly project: ProjectFacts;
  /** Options for this rule from `.hardening.json` (`["warning", { ... }]`), or {}. */
  readonly options: Readonly<Record<string, unknown>>;
  report(finding: FindingInput): void;
  /** A ts-morph view of a compiler node (with the checker), for readable cold code and fixes. */
  wrap<T extends ts.Node>(node: T): CompilerNodeToWrappedType<T>;
  /** Long rules check this between units of work and return early when true. */
  isCancellationRequested(): boolean;
}

export interface PackageJsonFacts {
  readonly path: string;
  readonly name?: string;
  /** dependencies, devDependencies, peerDependencies and optionalDependencies together. */
  readonly allDependencies: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  /** The parsed file, for anything else a rule needs (read-only). */
  readonly raw: unknown;
}

/**
 * Read-only access to the project's other files (schemas, migrations, package.json).
 * Reads see unsaved editor buffers; the engine records them so a finding can be
 * refreshed when one of them changes.
 */
export interface ProjectFacts {
  /** The workspace folder the file belongs to. */
  readonly root: string;
  /** The nearest package.json at or above `fromFile` (within the workspace). */
  packageJson(fromFile: string): PackageJsonFacts | undefined;
  /** True when the nearest package.json lists the dependency. */
  hasDependency(fromFile: string, name: string): boolean;
  /** The first existing path among `relativePaths`, tried in each folder from `fromFile`'s up to the root. */
  findUp(fromFile: string, relativePaths: readonly string[]): string | undefined;
  /** Files under `baseDir` (default: the root) matching glob patterns, honouring .gitignore and excludes. */
  findFiles(patterns: readonly string[], baseDir?: string): string[];
  readFile(path: string): string | undefined;
  /** The parsed source file of another file of the same program (for cross-file reasoning). */
  sourceFile(path: string): ts.SourceFile | undefined;
}

export interface RelatedInput {
  /** Defaults to the file under analysis. */
  readonly fileName?: string;
  readonly node?: ts.Node;
  readonly start?: number;
  readonly end?: number;
  readonly message: string;
  /**
   * True when this location is a step of the data's path to the finding (where it entered, where
   * it was built), in order from source to sink; absent for evidence such as a declaration.
   * Steps become a code flow in SARIF.
   */
  readonly step?: boolean;
}

export interface FindingInput {
  /** The node to underline; or give start/end offsets. */
  readonly node?: ts.Node;
  readonly start?: number;
  readonly end?: number;
  /** One sentence: what is wrong and what to do, naming the code concerned. */
  readonly message: string;
  /** The path of the data or the evidence, e.g. where a tainted value entered. */
  readonly related?: readonly RelatedInput[];
  /** Computed only when an editor asks for code actions or the CLI applies fixes. */
  readonly fixes?: () => Fix[];
  /** Which endpoint protections this finding says are missing, when not the rule's `concerns`. */
  readonly concerns?: readonly EndpointConcern[];
}

export interface Fix {
  readonly title: string;
  /** The one the lightbulb should put first. */
  readonly isPreferred?: boolean;
  /** Safe fixes keep behaviour for valid input and may run unattended (source.fixAll, --fix). */
  readonly safe?: boolean;
  readonly edits: readonly FileEdit[];
}

/** A text replacement by offsets in the current text of `fileName` (which may be another file). */
export interface FileEdit {
  readonly fileName: string;
  readonly start: number;
  readonly end: number;
  readonly newText: string;
  /** Create the file (start = end = 0); fails if it exists. */
  readonly create?: boolean;
}
