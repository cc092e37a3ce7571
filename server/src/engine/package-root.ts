// Finds files shipped with the package (rule docs, the config schema) from wherever
// the code runs: compiled under out/, bundled under dist/, or installed from a .vsix.
import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'production-hardening') return (root = dir);
      } catch {
        // keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`production-hardening: package root not found above ${__dirname}`);
    dir = parent;
  }
}

export function packageFile(relative: string): string {
  return path.join(packageRoot(), relative);
}
