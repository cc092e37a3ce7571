// `npm run bundle`: esbuild bundles the extension client to dist/extension.js and
// the language server to dist/server.js, and copies the TypeScript lib .d.ts files
// the engine reads at run time to dist/typescript-lib/, so the .vsix needs no node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { packageFile } from '../server/src/engine/package-root';

const DIST = packageFile('dist');

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's UMD build requires its modules in a way esbuild cannot follow; its ESM build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // ESM dependencies (fdir, via tinyglobby) call createRequire(import.meta.url); give them the bundle's own URL.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // `vscode` is provided by the extension host.
  external: ['vscode'],
  // Readable stack traces in rule-failure logs matter more than a smaller file.
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

function copyTypeScriptLibs(): number {
  const from = path.dirname(require.resolve('typescript/lib/lib.d.ts'));
  const to = path.join(DIST, 'typescript-lib');
  fs.mkdirSync(to, { recursive: true });
  const libs = fs.readdirSync(from).filter((f) => /^lib\.(?:.*\.)?d\.ts$/.test(f));
  for (const lib of libs) fs.copyFileSync(path.join(from, lib), path.join(to, lib));
  return libs.length;
}

async function main(): Promise<void> {
  fs.rmSync(DIST, { recursive: true, force: true });
  await Promise.all([
    build({ ...common, entryPoints: [packageFile('client/src/extension.ts')], outfile: path.join(DIST, 'extension.js') }),
    build({
      ...common,
      entryPoints: [packageFile('server/src/lsp/main.ts')],
      outfile: path.join(DIST, 'server.js'),
      // Only resolved when not bundled: the bundle reads dist/typescript-lib/ instead.
      external: [...(common.external ?? []), 'typescript/lib/lib.d.ts'],
    }),
  ]);
  const libs = copyTypeScriptLibs();
  for (const f of ['extension.js', 'server.js']) {
    const size = fs.statSync(path.join(DIST, f)).size;
    process.stdout.write(`dist/${f} ${(size / 1024 / 1024).toFixed(2)} MB\n`);
  }
  process.stdout.write(`dist/typescript-lib/ ${libs} lib files\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
