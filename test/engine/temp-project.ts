// Throwaway projects on disk for engine, CLI and LSP tests. They are created inside
// the repository (test/.tmp) so that TypeScript resolves the real node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageFile } from '../../server/src/engine/package-root';
import { normalizePath } from '../../server/src/engine/paths';

let counter = 0;

export function tempProject(files: Record<string, string>): string {
  const root = packageFile(`test/.tmp/p${process.pid}-${++counter}`);
  fs.rmSync(root, { recursive: true, force: true });
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  fs.mkdirSync(root, { recursive: true });
  return normalizePath(root);
}

export function removeProject(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}
