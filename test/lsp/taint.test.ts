// The taint engine through the real server: a request value passed to a helper in
// another file that runs it as a shell command is reported where it is passed, with the
// path into the other file as relatedInformation; an allow-list check typed into the
// handler makes the finding go away in the next published version.
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { makeWorkspace, removeWorkspaces, TestClient } from './harness';

const ROUTES = `import express from 'express';
import { lookup } from './lib/dns';

export const app = express();

app.get('/dns', (req, res) => {
  const domain = String(req.query.domain);
  res.send(lookup(domain));
});
`;

const DNS = `import { execSync } from 'node:child_process';

export function lookup(domain: string): string {
  const command = \`dig +short \${domain}\`;
  return execSync(command).toString();
}
`;

const WORKSPACE = {
  'package.json': JSON.stringify({ name: 'taint-fixture', version: '1.0.0', private: true, dependencies: { express: '^5.0.0' } }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'nodenext', noEmit: true }, include: ['src'] }),
  'src/routes.ts': ROUTES,
  'src/lib/dns.ts': DNS,
};

function injections(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.code === 'command-injection');
}

describe('language server: taint paths', function () {
  let client: TestClient;
  let routesUri = '';

  before(async () => {
    client = await TestClient.start({ root: makeWorkspace(WORKSPACE) });
  });

  after(async () => {
    await client?.dispose();
    removeWorkspaces();
  });

  it('reports the call that passes request data into a helper, with the path into the other file', async () => {
    const doc = client.open('src/routes.ts');
    routesUri = doc.uri;
    const published = await client.waitForDiagnostics(doc.uri, (p) => injections(p.diagnostics).length > 0, 'command-injection');
    const [d] = injections(published.diagnostics);
    assert.equal(d.range.start.line, 7);
    assert.match(String(d.message), /`req\.query\.domain` reaches the shell command line of `execSync` through `lookup`/);
    const path = (d.relatedInformation ?? []).map((r) => `${r.location.uri.split('/').slice(-2).join('/')}:${r.location.range.start.line} ${r.message}`);
    assert.deepEqual(path, [
      'src/routes.ts:6 `req.query.domain` comes from the request',
      'src/routes.ts:6 `domain` holds it',
      'lib/dns.ts:2 `lookup` takes it as `domain`',
      'lib/dns.ts:3 `command` holds it',
      'lib/dns.ts:4 it reaches `execSync`',
    ]);
  });

  it('drops the finding once the value is checked against an allow-list', async () => {
    const fixed = ROUTES.replace(
      '  res.send(lookup(domain));',
      "  if (!['example.com', 'example.org'].includes(domain)) return void res.status(400).end();\n  res.send(lookup(domain));",
    );
    const doc = client.change(routesUri, [{ text: fixed }]);
    const published = await client.waitForDiagnostics(doc.uri, (p) => p.version === doc.version, 'diagnostics of the edit');
    assert.deepEqual(injections(published.diagnostics), []);
  });
});
