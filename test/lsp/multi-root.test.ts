// A multi-root workspace: each folder is read with its own `.hardening.json`, so the
// same code is an error in one folder and off in the other, and the workspace audit
// covers both folders.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DiagnosticSeverity, DidChangeWorkspaceFoldersNotification } from 'vscode-languageserver-protocol/node';
import { pathToUri } from '../../server/src/engine/paths';
import { AUDIT_WORKSPACE_METHOD, type AuditResult } from '../../server/src/lsp/protocol';
import { makeWorkspace, removeWorkspaces, TestClient } from './harness';

const SWALLOWING = `export function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {}
  return undefined;
}
`;

function folder(config: string): string {
  return makeWorkspace({
    'package.json': JSON.stringify({ name: 'multi-root', private: true }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }),
    '.hardening.json': config,
    'src/parse.ts': SWALLOWING,
  });
}

describe('language server: multi-root workspace', function () {
  let client: TestClient;
  let strict: string;
  let relaxed: string;

  before(async () => {
    strict = folder('{ "rules": { "swallowed-error": "error" } }\n');
    relaxed = folder('{ "rules": { "swallowed-error": "off" } }\n');
    client = await TestClient.start({ root: strict });
    const added = { uri: pathToUri(relaxed), name: 'relaxed' };
    client.folders = [...client.folders, added];
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [added], removed: [] } });
  });

  after(async () => {
    await client?.dispose();
    removeWorkspaces();
  });

  it('applies each folder\'s own .hardening.json to its files', async () => {
    const strictUri = client.uri('src/parse.ts');
    const relaxedRel = path.relative(strict, path.join(relaxed, 'src/parse.ts'));
    const relaxedUri = pathToUri(path.join(relaxed, 'src/parse.ts'));
    client.open('src/parse.ts');
    client.open(relaxedRel);
    const strictPublished = await client.waitForDiagnostics(strictUri, (p) => p.diagnostics.some((d) => d.code === 'swallowed-error'), 'the strict folder\'s finding');
    assert.equal(strictPublished.diagnostics.find((d) => d.code === 'swallowed-error')!.severity, DiagnosticSeverity.Error);
    // The relaxed folder's file is analysed (a publication arrives) and has no finding.
    const relaxedPublished = await client.waitForDiagnostics(relaxedUri, () => true, 'the relaxed folder\'s analysis');
    assert.deepEqual(relaxedPublished.diagnostics.map((d) => d.code), []);
  });

  it('audits both folders', async () => {
    const result: AuditResult = await client.connection.sendRequest(AUDIT_WORKSPACE_METHOD, {});
    assert.equal(result.cancelled, false);
    // Both parse.ts files (the config files are not sources); only the strict folder's has a finding.
    assert.equal(result.files, 2);
    assert.equal(result.findings, 1);
    assert.equal(result.bySeverity.error, 1);
  });
});
