// Turns the paths given on the command line into workspace folders (the roots the
// engine loads configuration and projects from) and what to audit inside them.
//
// A path is audited inside its workspace folder: the nearest directory at or above
// it holding a `.hardening.json` or `.git`, so `harden audit src` uses the project's
// configuration and tsconfig and gives the same fingerprints as `harden audit .`.
// Without either marker a directory is its own folder, and a lone file belongs to
// the nearest directory with a package.json (or its own directory).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizePath } from '../engine/paths';
import { UsageError } from './exit-codes';

export interface AuditTargets {
  /** Workspace folders, deduplicated. */
  readonly roots: readonly string[];
  /** Directories whose source files are all audited. */
  readonly directories: readonly string[];
  /** Files named one by one. */
  readonly files: readonly string[];
}

const ROOT_MARKERS = ['.hardening.json', '.git'];

function exists(p: string): boolean {
  return fs.existsSync(p);
}

function markedFolderAbove(start: string): string | undefined {
  for (let dir = start; ; ) {
    if (ROOT_MARKERS.some((m) => exists(path.posix.join(dir, m)))) return dir;
    const parent = path.posix.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function packageFolderAbove(start: string): string | undefined {
  for (let dir = start; ; ) {
    if (exists(path.posix.join(dir, 'package.json'))) return dir;
    const parent = path.posix.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function workspaceFolderOf(target: string, isDirectory: boolean): string {
  const start = isDirectory ? target : path.posix.dirname(target);
  return markedFolderAbove(start) ?? (isDirectory ? target : (packageFolderAbove(start) ?? start));
}

export function resolveTargets(paths: readonly string[], cwd: string): AuditTargets {
  const roots = new Set<string>();
  const directories: string[] = [];
  const files: string[] = [];
  for (const given of paths.length > 0 ? paths : ['.']) {
    const abs = normalizePath(path.resolve(cwd, given));
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`no such file or directory: ${given}`);
    }
    const isDirectory = stat.isDirectory();
    roots.add(workspaceFolderOf(abs, isDirectory));
    (isDirectory ? directories : files).push(abs);
  }
  return { roots: [...roots], directories, files };
}
