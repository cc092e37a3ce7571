// How reports name files: relative to one base directory, with forward slashes,
// so a report reads the same on every machine and in code scanning.
import * as path from 'node:path';
import { isWithin, normalizePath } from '../../engine/paths';

export function relativePath(base: string, file: string): string {
  return path.posix.relative(normalizePath(base), normalizePath(file)) || path.posix.basename(file);
}

/**
 * The directory machine-readable reports are relative to: the working directory
 * when every file is inside it (the usual CI checkout), else the deepest folder
 * that contains all the workspace folders.
 */
export function reportBase(cwd: string, roots: readonly string[], files: readonly string[]): string {
  const base = normalizePath(cwd);
  if ([...roots, ...files].every((f) => isWithin(base, f))) return base;
  let common = normalizePath(roots[0] ?? base);
  for (const r of roots) while (!isWithin(common, r)) common = path.posix.dirname(common);
  return common;
}
