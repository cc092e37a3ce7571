// `npm run bench`: prints speed figures side by side with the TypeScript compiler on
// the same files. Numbers, not pass/fail. Corpora: a generated ~500-file Express +
// Prisma API (rule-dense) and the demo app in examples/. Figures: wall time (median
// of runs), files/second, peak RSS, and the language server's edit→diagnostics
// latency (p50/p95) for a ~1,200-line file.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { packageFile } from '../server/src/engine/package-root';
import { pathToUri } from '../server/src/engine/paths';
import { generateBenchApp } from './gen-bench-app';
import { taintCost } from './bench-taint';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const EDITS = Number(process.env.BENCH_EDITS ?? 50);
const TSC = packageFile('node_modules/typescript/bin/tsc');
const HARDEN = packageFile('bin/harden.js');

interface Measured {
  readonly seconds: number;
  readonly rssMb: number;
}

/** Runs a command under GNU time and returns elapsed seconds and peak RSS. */
function timed(cmd: string, args: string[], cwd: string): Measured {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [seconds, kb] = last.split(' ').map(Number);
  if (!Number.isFinite(seconds)) throw new Error(`could not time ${cmd} ${args.join(' ')}: ${r.stderr.slice(-500)}`);
  return { seconds, rssMb: kb / 1024 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

function measure(cmd: string, args: string[], cwd: string): Measured {
  const runs = Array.from({ length: RUNS }, () => timed(cmd, args, cwd));
  return { seconds: median(runs.map((r) => r.seconds)), rssMb: Math.max(...runs.map((r) => r.rssMb)) };
}

function countSources(dir: string): number {
  const r = spawnSync(process.execPath, [HARDEN, 'audit', dir, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  try {
    return JSON.parse(r.stdout).summary?.files ?? 0;
  } catch {
    return 0;
  }
}

function corpusRow(label: string, dir: string): string[] {
  const files = countSources(dir);
  const out = path.join(os.tmpdir(), `harden-bench-${process.pid}.json`);
  const harden = measure(process.execPath, [HARDEN, 'audit', dir, '--format', 'json', '--output', out, '--fail-on', 'none'], dir);
  const tsc = measure(process.execPath, [TSC, '--noEmit', '-p', path.join(dir, 'tsconfig.json')], dir);
  fs.rmSync(out, { force: true });
  return [
    label,
    String(files),
    `${harden.seconds.toFixed(2)} s`,
    `${(files / harden.seconds).toFixed(0)}`,
    `${harden.rssMb.toFixed(0)} MB`,
    `${tsc.seconds.toFixed(2)} s`,
    `${tsc.rssMb.toFixed(0)} MB`,
    `${(harden.seconds / tsc.seconds).toFixed(2)}×`,
    `${(harden.rssMb / tsc.rssMb).toFixed(2)}×`,
  ];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Edit→diagnostics latency through the real server over stdio. */
async function editLatency(root: string, relFile: string): Promise<{ firstPublish: number[]; lastPublish: number[]; openMs: number }> {
  const child = spawn(process.execPath, [packageFile('out/server/src/lsp/main.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn: ProtocolConnection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const file = path.join(root, relFile);
  const uri = pathToUri(file);
  // Each version's publishes, in arrival order (the syntactic phase first, then the type-aware one).
  const arrivals = new Map<number, number[]>();
  const waiters: { version: number; count: number; resolve: () => void }[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    if (p.uri !== uri || p.version === undefined) return;
    const list = arrivals.get(p.version) ?? [];
    list.push(performance.now());
    arrivals.set(p.version, list);
    for (const w of [...waiters]) if (w.version === p.version && list.length >= w.count) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.listen();
  const waitFor = (version: number, count: number, timeoutMs = 30000) =>
    new Promise<void>((resolve, reject) => {
      if ((arrivals.get(version)?.length ?? 0) >= count) return resolve();
      const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version} within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({ version, count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToUri(root), capabilities: {}, workspaceFolders: [{ uri: pathToUri(root), name: 'bench' }] });
  conn.sendNotification('initialized', {});
  let text = fs.readFileSync(file, 'utf8');
  const t0 = performance.now();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  await waitFor(1, 2, 120000);
  const openMs = arrivals.get(1)![1] - t0;
  const firstPublish: number[] = [];
  const lastPublish: number[] = [];
  const lines = text.split('\n');
  for (let v = 2; v < EDITS + 2; v++) {
    // A one-character edit inside a function body, as someone typing would make.
    const line = 3 + ((v * 11) % (lines.length - 10));
    const character = 0;
    const start = performance.now();
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: ' ' }],
    });
    lines[line] = ` ${lines[line]}`;
    text = lines.join('\n');
    await waitFor(v, 2);
    const got = arrivals.get(v)!;
    firstPublish.push(got[0] - start);
    lastPublish.push(got[got.length - 1] - start);
  }
  await conn.sendRequest('shutdown');
  conn.sendNotification('exit');
  conn.dispose();
  child.kill();
  return { firstPublish, lastPublish, openMs };
}

async function main(): Promise<void> {
  const benchDir = packageFile('.bench');
  const app = path.join(benchDir, 'express-prisma-app');
  const gen = generateBenchApp(app, 125);
  const demo = packageFile('examples/vulnerable-api');
  process.stdout.write(`Production Hardening benchmark — ${os.cpus().length} cores, Node ${process.version}, median of ${RUNS} runs\n\n`);
  const rows = [corpusRow(`generated Express+Prisma app (${gen.files} files)`, app)];
  if (fs.existsSync(path.join(demo, 'tsconfig.json'))) rows.push(corpusRow('examples/vulnerable-api', demo));
  process.stdout.write(
    `${table(['corpus', 'files', 'harden audit', 'files/s', 'peak RSS', 'tsc --noEmit', 'tsc RSS', 'time vs tsc', 'RSS vs tsc'], rows)}\n\n`,
  );
  const cost = taintCost(app, gen.editTarget);
  const perFile = (ms: number) => `${(ms / cost.files).toFixed(1)} ms/file`;
  const share = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${(((a - b) / b) * 100).toFixed(0)}%`;
  process.stdout.write(`Taint engine (${cost.taintRules} injection rules), in-process, medians of alternating runs on the ${cost.files}-file app:\n`);
  process.stdout.write(`  audit:  every rule ${perFile(cost.auditWith)}, without the taint rules ${perFile(cost.auditWithout)} → added ${((cost.auditWith - cost.auditWithout) / cost.files).toFixed(1)} ms/file (${share(cost.auditWith, cost.auditWithout)})\n`);
  process.stdout.write(`  per edit of the ${gen.editTarget} (analysis only, p50): every rule ${cost.editWith.toFixed(0)} ms, without ${cost.editWithout.toFixed(0)} ms → added ${(cost.editWith - cost.editWithout).toFixed(0)} ms\n\n`);
  const lat = await editLatency(app, gen.editTarget);
  const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(0)} ms / p95 ${percentile(xs, 95).toFixed(0)} ms`;
  const lineCount = fs.readFileSync(path.join(app, gen.editTarget), 'utf8').split('\n').length;
  process.stdout.write(`Language server, ${EDITS} one-character edits of a ${lineCount}-line file in the ${gen.files}-file app (includes the server's debounce):\n`);
  process.stdout.write(`  first diagnostics after opening (cold project): ${lat.openMs.toFixed(0)} ms\n`);
  process.stdout.write(`  edit → syntactic findings published:  ${fmt(lat.firstPublish)}\n`);
  process.stdout.write(`  edit → type-aware findings published: ${fmt(lat.lastPublish)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exitCode = 1;
});
