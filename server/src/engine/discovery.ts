// Which files belong to an audit: TS/JS sources under a folder, minus node_modules,
// what .gitignore files ignore, and the configured excludes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { globSync } from 'tinyglobby';
import { isWithin, normalizePath } from './paths';

export const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts'];

/** Answers "is this path excluded?" for one workspace folder. */
export class ExcludeMatcher {
  private readonly gitignores: { dir: string; matcher: Ignore }[] = [];
  private readonly configured: Ignore;

  constructor(
    private readonly root: string,
    exclude: readonly string[],
  ) {
    this.configured = ignore().add([...exclude]);
    for (const file of globSync('**/.gitignore', { cwd: root, ignore: ['**/node_modules/**', '**/.git/**'], absolute: true, dot: true })) {
      try {
        this.gitignores.push({ dir: normalizePath(path.dirname(file)), matcher: ignore().add(fs.readFileSync(file, 'utf8')) });
      } catch {
        // an unreadable .gitignore ignores nothing
      }
    }
  }

  isExcluded(file: string): boolean {
    if (!isWithin(this.root, file)) return false;
    const rel = path.posix.relative(this.root, file);
    if (rel.split('/').includes('node_modules')) return true;
    if (this.configured.ignores(rel)) return true;
    return this.gitignores.some((g) => isWithin(g.dir, file) && g.matcher.ignores(path.posix.relative(g.dir, file)));
  }
}

export function discoverSourceFiles(root: string, matcher: ExcludeMatcher, patterns: readonly string[] = [SOURCE_GLOB]): string[] {
  return globSync([...patterns], { cwd: root, ignore: ALWAYS_IGNORED, absolute: true, dot: false, followSymbolicLinks: false })
    .map(normalizePath)
    .filter((f) => !matcher.isExcluded(f))
    .sort();
}
