// The engine's implementation of ProjectFacts: rules read package.json, schemas and
// migrations through it (never the file system directly), with unsaved buffers
// taken into account and results cached per workspace generation.
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import type { PackageJsonFacts, ProjectFacts } from '../../../rules/api';
import type { ts } from 'ts-morph';
import type { DocumentStore } from './documents';
import type { ExcludeMatcher } from './discovery';
import { isWithin, normalizePath } from './paths';

export class WorkspaceFacts implements ProjectFacts {
  private packageJsonCache = new Map<string, PackageJsonFacts | null>();
  private findFilesCache = new Map<string, string[]>();

  constructor(
    readonly root: string,
    private readonly documents: DocumentStore,
    private readonly matcher: () => ExcludeMatcher,
    private readonly program: () => ts.Program | undefined = () => undefined,
  ) {}

  /** The same facts, with `sourceFile` answering from the program of the file under analysis. */
  bind(program: () => ts.Program): ProjectFacts {
    const bound = new WorkspaceFacts(this.root, this.documents, this.matcher, program);
    bound.packageJsonCache = this.packageJsonCache;
    bound.findFilesCache = this.findFilesCache;
    return bound;
  }

  /** Forget cached reads (a watched file changed). */
  invalidate(): void {
    this.packageJsonCache.clear();
    this.findFilesCache.clear();
  }

  packageJson(fromFile: string): PackageJsonFacts | undefined {
    const found = this.findUp(fromFile, ['package.json']);
    if (!found) return undefined;
    let cached = this.packageJsonCache.get(found);
    if (cached === undefined) {
      cached = parsePackageJson(found, this.documents.readText(found)) ?? null;
      this.packageJsonCache.set(found, cached);
    }
    return cached ?? undefined;
  }

  hasDependency(fromFile: string, name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.packageJson(fromFile)?.allDependencies ?? {}, name);
  }

  findUp(fromFile: string, relativePaths: readonly string[]): string | undefined {
    let dir = path.posix.dirname(normalizePath(fromFile));
    for (;;) {
      for (const rel of relativePaths) {
        const candidate = path.posix.join(dir, rel);
        if (this.documents.exists(candidate)) return candidate;
      }
      if (dir === this.root || !isWithin(this.root, dir)) return undefined;
      const parent = path.posix.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }

  findFiles(patterns: readonly string[], baseDir: string = this.root): string[] {
    const key = `${baseDir}\u0000${patterns.join('\u0000')}`;
    let files = this.findFilesCache.get(key);
    if (!files) {
      const matcher = this.matcher();
      files = globSync([...patterns], { cwd: baseDir, ignore: ['**/node_modules/**', '**/.git/**'], absolute: true, dot: true })
        .map(normalizePath)
        .filter((f) => !matcher.isExcluded(f))
        .sort();
      this.findFilesCache.set(key, files);
    }
    return files;
  }

  readFile(file: string): string | undefined {
    return this.documents.readText(normalizePath(file));
  }

  sourceFile(file: string): ts.SourceFile | undefined {
    return this.program()?.getSourceFile(normalizePath(file));
  }
}

function parsePackageJson(file: string, text: string | undefined): PackageJsonFacts | undefined {
  if (text === undefined) return undefined;
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const deps = (k: string) => (raw[k] && typeof raw[k] === 'object' ? (raw[k] as Record<string, string>) : {});
    return {
      path: file,
      name: typeof raw.name === 'string' ? raw.name : undefined,
      dependencies: deps('dependencies'),
      allDependencies: { ...deps('optionalDependencies'), ...deps('peerDependencies'), ...deps('devDependencies'), ...deps('dependencies') },
      raw,
    };
  } catch {
    return undefined;
  }
}
