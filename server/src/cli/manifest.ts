// The tool's own name and version, read from the package manifest so the CLI,
// SARIF's tool.driver and `--version` always agree with what was published.
import * as fs from 'node:fs';
import { packageFile } from '../engine/package-root';

export const TOOL_NAME = 'production-hardening';

interface Manifest {
  readonly version: string;
  readonly homepage?: string;
  readonly repository?: string | { readonly url?: string };
}

let manifest: Manifest | undefined;

function read(): Manifest {
  manifest ??= JSON.parse(fs.readFileSync(packageFile('package.json'), 'utf8')) as Manifest;
  return manifest;
}

export function toolVersion(): string {
  return read().version;
}

/** A web page about the tool, when the manifest names one. */
export function toolHomepage(): string | undefined {
  const m = read();
  if (m.homepage) return m.homepage;
  const repo = typeof m.repository === 'string' ? m.repository : m.repository?.url;
  return repo && /^https?:\/\//.test(repo) ? repo.replace(/\.git$/, '') : undefined;
}
