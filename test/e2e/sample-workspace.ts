// The project the editor tests open: a fresh copy of examples/vulnerable-api under
// test/.tmp/ (so module resolution walks up to the repository's node_modules and the
// type-aware rules see the real library types), plus the files below. And the real
// CLI's audit of it, which tells the tests what the editor must show.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { JsonFinding, JsonReport } from '../../server/src/cli/formats/json';
import { applyFix } from '../../server/src/engine/apply-edits';
import { normalizePath } from '../../server/src/engine/paths';
import { Workspace } from '../../server/src/engine/workspace';
import { REPO } from './code-server';

// Kept as text, not as files under test/, so the repository's tsc does not compile them.
const run = promisify(execFile);

const EXTRA_FILES: Readonly<Record<string, string>> = {
  // The copy is its own workspace folder for `harden audit` too (else the CLI climbs
  // to the repository, whose .gitignore covers test/.tmp/), as it is for the editor.
  '.hardening.json': '{}\n',
  // A second package still on Express 4: only there does unguarded-external-call offer
  // "Wrap in try/retry" (an idempotent request whose failure the handler would lose);
  // the example is on Express 5 and its outbound calls are POSTs ("Add a timeout").
  'billing-v1/package.json': `${JSON.stringify({ name: 'billing-v1', private: true, dependencies: { axios: '^1.12.0', express: '^4.21.2' } }, null, 2)}\n`,
  'billing-v1/src/charge-status.ts': `// Charge status lookups of the old billing API (Express 4).
import axios from 'axios';
import express from 'express';

const PAYMENTS_URL = process.env.PAYMENTS_URL ?? 'https://payments.example.com';

interface ChargeStatus {
  readonly id: string;
  readonly status: 'succeeded' | 'pending' | 'failed';
}

export const chargeStatus = express.Router();

chargeStatus.get('/charges/:id/status', async (req, res) => {
  const { data } = await axios.get<ChargeStatus>(\`\${PAYMENTS_URL}/v1/charges/\${encodeURIComponent(req.params.id)}\`);
  res.json({ id: data.id, status: data.status });
});
`,
};

/** Copies the sample into `<runDir>/ws` and returns that folder. */
export function copySampleWorkspace(runDir: string): string {
  const ws = path.join(runDir, 'ws');
  fs.cpSync(path.join(REPO, 'examples/vulnerable-api'), ws, { recursive: true });
  for (const [rel, text] of Object.entries(EXTRA_FILES)) {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  }
  return ws;
}

export interface CliAudit {
  readonly report: JsonReport;
  /** Findings with paths relative to the workspace folder. */
  readonly findings: readonly JsonFinding[];
}

/** `harden audit --format json` over the folder, as CI would run it. */
export async function cliAudit(folder: string): Promise<CliAudit> {
  const args = [path.join(REPO, 'bin/harden.js'), 'audit', '--format', 'json', '--fail-on', 'none', folder];
  const { stdout } = await run(process.execPath, args, { cwd: folder, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  const report = JSON.parse(stdout) as JsonReport;
  const base = path.resolve(report.baseDir);
  const findings = report.findings.map((f) => ({ ...f, file: path.relative(folder, path.resolve(base, f.file)) }));
  return { report, findings };
}

/** The one finding of `ruleId` in `file`, failing loudly when the sample changed. */
export function findingOf(audit: CliAudit, file: string, ruleId: string, messagePart?: string): JsonFinding {
  const matches = audit.findings.filter((f) => f.file === file && f.ruleId === ruleId && (!messagePart || f.message.includes(messagePart)));
  if (matches.length !== 1) throw new Error(`expected one ${ruleId} finding in ${file}${messagePart ? ` about ${messagePart}` : ''}, the CLI reports ${matches.length}`);
  return matches[0];
}

export interface FixRequest {
  readonly file: string;
  readonly ruleId: string;
  /** The start of the fix's title, as the lightbulb shows it. */
  readonly title: string;
  /** Picks one finding when the file has several of the rule. */
  readonly messagePart?: string;
}

export interface ExpectedFix {
  /** The full title the engine gives the fix. */
  readonly title: string;
  /** Workspace-relative path → the file's whole text once the fix is applied. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * What each fix must leave on disk, from the engine itself: the editor test then
 * checks that the edit went through the server, the client and VS Code unchanged.
 */
export function engineFixes(folder: string, requests: readonly FixRequest[]): ExpectedFix[] {
  const root = normalizePath(folder);
  const workspace = new Workspace({ roots: [root] });
  try {
    return requests.map((r) => {
      const analysis = workspace.analyzeFile(`${root}/${r.file}`);
      const fixes = analysis.findings.filter((f) => f.ruleId === r.ruleId && (!r.messagePart || f.message.includes(r.messagePart))).flatMap((f) => f.fixes?.() ?? []);
      const matching = fixes.filter((f) => f.title.startsWith(r.title));
      if (matching.length !== 1) throw new Error(`expected one "${r.title}" fix for ${r.ruleId} in ${r.file}, the engine offers: ${fixes.map((f) => f.title).join(' | ')}`);
      const texts = applyFix(matching[0], (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined));
      return { title: matching[0].title, files: new Map([...texts].map(([file, text]) => [path.posix.relative(root, file), text])) };
    });
  } finally {
    workspace.dispose();
  }
}
