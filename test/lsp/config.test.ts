// Configuration as the server meets it: a broken `.hardening.json` (message, diagnostics
// on the file, defaults meanwhile), fixing it on disk (watched files), a tsconfig that
// extends a missing file (logged), and clients that ask the suppression reason themselves.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionRequest,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  FileChangeType,
  MessageType,
  type CodeAction,
} from 'vscode-languageserver-protocol/node';
import { pathToUri } from '../../server/src/engine/paths';
import { makeWorkspace, removeWorkspaces, TestClient } from './harness';

const SERVICE = `export function parseSettings(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {}
  return undefined;
}
`;

describe('language server: configuration', function () {
  let client: TestClient;
  let root: string;

  before(async () => {
    root = makeWorkspace({
      'package.json': JSON.stringify({ name: 'config-fixture', private: true }),
      'tsconfig.json': JSON.stringify({ extends: './missing-base.json', compilerOptions: { strict: true, lib: ['ES2022', 'DOM'] }, include: ['src'] }),
      '.hardening.json': '{ "rules": { "swallowed-error": "error", }\n',
      'src/service.ts': SERVICE,
    });
    client = await TestClient.start({ root, initializationOptions: { suppressWithReasonCommand: 'hardening.suppressWithReason' } });
  });

  after(async () => {
    await client?.dispose();
    removeWorkspaces();
  });

  it('shows one error message and publishes diagnostics on a broken .hardening.json', async () => {
    const message = await client.waitFor('an error message', () => client.messages.find((m) => m.type === MessageType.Error));
    assert.match(message.message, /\.hardening\.json is not valid JSON/);
    const configUri = client.uri('.hardening.json');
    const published = await client.waitForDiagnostics(configUri, (p) => p.diagnostics.length > 0, 'config diagnostics');
    assert.equal(published.diagnostics[0].code, 'invalid-config');
    assert.equal(published.diagnostics[0].severity, DiagnosticSeverity.Error);
    // The parser stops at the end of the text, where the closing brace is missing.
    assert.deepEqual(published.diagnostics[0].range.start, { line: 1, character: 0 });
  });

  it('uses the defaults meanwhile, and logs the tsconfig problem', async () => {
    const doc = client.open('src/service.ts');
    const published = await client.waitForDiagnostics(doc.uri, (p) => p.diagnostics.some((d) => d.code === 'swallowed-error'), 'finding');
    assert.equal(published.diagnostics.find((d) => d.code === 'swallowed-error')!.severity, DiagnosticSeverity.Warning, 'the default severity, not the broken file\'s');
    const log = await client.waitFor('the project problem in the log', () => client.logs.find((l) => /missing-base\.json/.test(l.message)));
    assert.equal(log.type, MessageType.Warning);
    assert.equal(client.messages.filter((m) => m.type === MessageType.Error).length, 1, 'one message per change');
  });

  it('picks up the repaired file from disk: config diagnostics cleared, its severities applied', async () => {
    const configUri = client.uri('.hardening.json');
    const serviceUri = client.uri('src/service.ts');
    const since = client.diagnostics.length;
    fs.writeFileSync(path.join(root, '.hardening.json'), '{ "rules": { "swallowed-error": "error" } }\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: configUri, type: FileChangeType.Changed }] });
    await client.waitForDiagnostics(configUri, (p) => p.diagnostics.length === 0, 'cleared config diagnostics', since);
    await client.waitForDiagnostics(serviceUri, (p) => p.diagnostics.some((d) => d.code === 'swallowed-error' && d.severity === DiagnosticSeverity.Error), 'the configured severity', since);
  });

  it('reports a schema problem (unknown rule) as a new message', async () => {
    const configUri = client.uri('.hardening.json');
    const since = client.diagnostics.length;
    const messagesBefore = client.messages.length;
    fs.writeFileSync(path.join(root, '.hardening.json'), '{ "rules": { "no-such-rule": "error" } }\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: configUri, type: FileChangeType.Changed }] });
    const published = await client.waitForDiagnostics(configUri, (p) => p.diagnostics.length > 0, 'schema problem', since);
    assert.ok(published.diagnostics.some((d) => /no-such-rule/.test(String(d.message))), JSON.stringify(published.diagnostics));
    const message = await client.waitFor('a second message', () => client.messages.slice(messagesBefore).find((m) => m.type === MessageType.Error));
    assert.match(message.message, /unknown rule/);
  });

  it('takes in a workspace folder added later, with its own .hardening.json', async () => {
    const second = makeWorkspace({ '.hardening.json': '{ "exclude": "not-an-array" }\n', 'src/x.ts': 'export const x = 1;\n' });
    const configUri = pathToUri(path.join(second, '.hardening.json'));
    const added = { uri: pathToUri(second), name: 'second' };
    client.folders = [...client.folders, added];
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [added], removed: [] } });
    const published = await client.waitForDiagnostics(configUri, (p) => p.diagnostics.length > 0, 'the second folder\'s config problem');
    assert.match(String(published.diagnostics[0].message), /exclude/);
  });

  it('lets a client with a reason prompt run its own command for "suppress with reason"', async () => {
    const uri = client.uri('src/service.ts');
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'swallowed-error'), 'finding');
    const diagnostics = published.diagnostics.filter((d) => d.code === 'swallowed-error');
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics },
    })) as CodeAction[];
    const suppress = actions.find((a) => a.title.startsWith('Suppress swallowed-error'));
    assert.ok(suppress);
    assert.equal(suppress.edit, undefined);
    assert.equal(suppress.command?.command, 'hardening.suppressWithReason');
    assert.deepEqual(suppress.command?.arguments, [{ uri, line: 3, ruleId: 'swallowed-error' }]);
  });
});
