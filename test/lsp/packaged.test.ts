// The server as shipped: unzips the .vsix (HARDENING_VSIX, else the repo's own,
// packaged now unless it is newer than every source) and checks that its bundled server starts over stdio, finds its
// rule docs, config schema and TypeScript lib files inside the package, and reports.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageType } from 'vscode-languageserver-protocol/node';
import { obtainVsix } from '../support/vsix';
import { makeWorkspace, removeWorkspaces, TestClient } from './harness';

describe('packaged extension (.vsix)', function () {
  let client: TestClient | undefined;
  let extracted: string | undefined;

  after(async () => {
    await client?.dispose();
    removeWorkspaces();
    if (extracted) fs.rmSync(extracted, { recursive: true, force: true });
  });

  it('runs the bundled server from the unzipped .vsix', async function () {
    this.timeout(240_000);
    const vsix = obtainVsix().path;
    extracted = fs.mkdtempSync(path.join(os.tmpdir(), 'hardening-vsix-'));
    execFileSync('unzip', ['-q', path.resolve(vsix), '-d', extracted]);
    const extension = path.join(extracted, 'extension');
    for (const shipped of ['package.json', 'LICENSE.txt', 'dist/extension.js', 'dist/server.js', 'dist/typescript-lib/lib.es2022.d.ts', 'schema/hardening.schema.json']) {
      assert.ok(fs.existsSync(path.join(extension, shipped)), `${shipped} is in the .vsix`);
    }
    assert.ok(!fs.existsSync(path.join(extension, 'node_modules')), 'no node_modules in the .vsix');
    assert.ok(!fs.existsSync(path.join(extension, 'out')), 'no tsc output in the .vsix');

    const root = makeWorkspace({
      'package.json': JSON.stringify({ name: 'vsix-check', private: true }),
      '.hardening.json': '{ "rules": [] }\n',
      'src/service.ts': 'export function parse(text: string): unknown {\n  try {\n    return JSON.parse(text);\n  } catch {}\n  return undefined;\n}\n',
    });
    client = await TestClient.start({ root, serverMain: path.join(extension, 'dist/server.js') });
    // The schema is read from the package: a schema violation proves it was found.
    const message = await client.waitFor('the config error message', () => client!.messages.find((m) => m.type === MessageType.Error));
    assert.match(message.message, /\.hardening\.json/);
    const doc = client.open('src/service.ts');
    const published = await client.waitForDiagnostics(doc.uri, (p) => p.diagnostics.some((d) => d.code === 'swallowed-error'), 'swallowed-error');
    const href = published.diagnostics.find((d) => d.code === 'swallowed-error')!.codeDescription!.href;
    assert.ok(href.startsWith('file:') && fs.existsSync(fileURLToPath(href)), `the docs link ${href} points into the package`);
    assert.ok(fileURLToPath(href).startsWith(extension), 'docs come from the extension folder');
    assert.equal(await client.shutdown(), 0);
  });
});
