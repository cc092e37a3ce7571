// Runs the built `harden` command as a child process (the way users and CI run it)
// on throw-away projects, and validates SARIF against the official 2.1.0 schema.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { packageFile } from '../../server/src/engine/package-root';

export const REPO_ROOT = packageFile('.');
export const BIN = packageFile('bin/harden.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function harden(args: readonly string[], cwd: string): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  if (run.error) throw run.error;
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A temporary project; `withNodeModules` links the repository's node_modules so library types resolve. */
export class TempProject {
  readonly dir: string;

  constructor(files: Readonly<Record<string, string>>, options: { withNodeModules?: boolean } = {}) {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'harden-cli-')));
    for (const [rel, text] of Object.entries(files)) this.write(rel, text);
    if (options.withNodeModules) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(this.dir, 'node_modules'), 'dir');
  }

  write(rel: string, text: string): void {
    const file = path.join(this.dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }

  path(rel: string): string {
    return path.join(this.dir, rel);
  }

  run(...args: string[]): CliRun {
    return harden(args, this.dir);
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Text report lines that are findings: `path:line:col  severity  rule-id  message`. */
export function findingLines(stdout: string): { file: string; line: number; column: number; severity: string; ruleId: string; message: string }[] {
  const out = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S+?):(\d+):(\d+)\s+(error|warning|info)\s+(\S+)\s+(.*)$/.exec(line);
    if (m) out.push({ file: m[1], line: Number(m[2]), column: Number(m[3]), severity: m[4], ruleId: m[5], message: m[6] });
  }
  return out;
}

let sarifValidator: ReturnType<Ajv['compile']> | undefined;

/** Schema errors of a SARIF log against the official SARIF 2.1.0 (rtm.5) schema; [] when valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!sarifValidator) {
    const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    // The schema's language-tag pattern is not valid under the `u` flag Ajv uses by default.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    // The schema uses these formats; checked here without another dependency.
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    sarifValidator = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
  }
  return sarifValidator(log) ? [] : (sarifValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
