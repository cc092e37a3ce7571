// One spelling of a path everywhere in the engine: absolute, forward slashes,
// so that a file reached through the LSP, the CLI or TypeScript is the same key.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function normalizePath(p: string): string {
  return path.resolve(p).replace(/\\/g, '/');
}

export function uriToPath(uri: string): string {
  return normalizePath(fileURLToPath(uri));
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).toString();
}

/** True when `file` is `dir` or below it. */
export function isWithin(dir: string, file: string): boolean {
  const rel = path.posix.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.posix.isAbsolute(rel));
}

const ANALYSABLE = /\.(?:[cm]?[jt]sx?)$/i;

/** The files rules run on: TS/JS sources, not declaration files. */
export function isAnalysable(file: string): boolean {
  return ANALYSABLE.test(file) && !/\.d\.[cm]?ts$/i.test(file);
}
