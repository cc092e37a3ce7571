// The packaged extension the packaged-server and editor tests install: the one named
// by HARDENING_VSIX, else the repository's own, rebuilt with `npm run package` when a
// source changed since it was made.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageFile } from '../../server/src/engine/package-root';

const REPO = packageFile('.');
const VSIX = path.join(REPO, 'production-hardening.vsix');

/** The newest modification time of a file, or of the files under a directory. */
function newestMtime(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  if (fs.statSync(dir).isFile()) return fs.statSync(dir).mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export interface Vsix {
  readonly path: string;
  /** How it was obtained, for the timing report. */
  readonly how: 'given' | 'reused' | 'packaged';
}

/**
 * HARDENING_VSIX when set; else the repository's .vsix when it is newer than every
 * source it is built from; else a fresh one (`npm run package`, about 25 s).
 */
export function obtainVsix(): Vsix {
  const given = process.env.HARDENING_VSIX;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`HARDENING_VSIX=${given} does not exist`);
    return { path: path.resolve(given), how: 'given' };
  }
  // Compared with the sources, not out/: `npm test` rebuilds out/ before every run.
  const sources = ['client/src', 'server/src', 'rules', 'schema', 'scripts/bundle.ts', 'package.json', '.vscodeignore', 'README.md'];
  const newest = Math.max(...sources.map((rel) => newestMtime(path.join(REPO, rel))));
  if (fs.existsSync(VSIX) && fs.statSync(VSIX).mtimeMs > newest) return { path: VSIX, how: 'reused' };
  const packaged = spawnSync('npm', ['run', 'package'], { cwd: REPO, encoding: 'utf8', timeout: 150_000 });
  if (packaged.status !== 0) {
    const output = `${packaged.stdout ?? ''}${packaged.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`\`npm run package\` failed (exit ${packaged.status ?? packaged.signal}):\n${output}`);
  }
  return { path: VSIX, how: 'packaged' };
}

