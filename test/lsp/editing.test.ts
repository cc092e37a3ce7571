// The language server as an editor sees it while editing: diagnostics per version,
// quick fixes, suppressions, fix-all, settings, closing, and documents that are
// broken or huge. The real server runs as a child process over stdio.
import * as assert from 'node:assert/strict';
import {
  CodeActionRequest,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { applyEdit } from './edits';
import { codes, makeWorkspace, removeWorkspaces, TestClient } from './harness';

const SERVICE = `// Parses the settings the admin uploads.
export function parseSettings(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {}
  return undefined;
}
`;

const TWO_SWALLOWS = `export function first(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {}
  return undefined;
}

export function second(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {}
  return undefined;
}
`;

const WORKSPACE = {
  'package.json': JSON.stringify({ name: 'lsp-fixture', version: '1.0.0', private: true }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'nodenext', noEmit: true }, include: ['src'] }),
  'src/service.ts': SERVICE,
};

function swallowed(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.code === 'swallowed-error');
}

describe('language server: editing', function () {
  let client: TestClient;

  before(async () => {
    client = await TestClient.start({ root: makeWorkspace(WORKSPACE) });
  });

  after(async () => {
    await client?.dispose();
    removeWorkspaces();
  });

  async function codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const result = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
    return (result ?? []) as CodeAction[];
  }

  it('advertises incremental sync, quick fixes and source.fixAll.hardening', () => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'source.fixAll.hardening']);
  });

  it('publishes a finding on open with rule id, docs link, CWE, version and fix data', async () => {
    const doc = client.open('src/service.ts');
    const published = await client.waitForDiagnostics(doc.uri, (p) => swallowed(p.diagnostics).length > 0, 'swallowed-error');
    assert.equal(published.version, 1);
    const [d] = swallowed(published.diagnostics);
    assert.equal(d.source, 'hardening');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.equal(d.range.start.line, 4);
    assert.match(String(d.codeDescription!.href), /^file:\/\/.*\/rules\/observability\/swallowed-error\.md$/);
    assert.match(String(d.message), /\(CWE-390\)$/);
    const data = d.data as { fingerprint: string; version: string };
    assert.match(data.fingerprint, /^[0-9a-f]{32}$/);
    assert.equal(data.version, '1');
  });

  it('publishes only for the version the user stopped at, keeping type-aware findings in place meanwhile', async () => {
    const uri = client.uri('src/service.ts');
    const since = client.diagnostics.length;
    // Three quick edits: each cancels the analysis of the one before.
    client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// one\n' }]);
    client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// two\n' }]);
    const doc = client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// three\n' }]);
    assert.equal(doc.version, 4);
    const full = await client.waitForDiagnostics(uri, (p) => p.version === 4 && swallowed(p.diagnostics).some((d) => (d.data as { version: string }).version === '4'), 'the full result of version 4', since);
    assert.equal(swallowed(full.diagnostics)[0].range.start.line, 7);
    const forUri = client.diagnostics.slice(since).filter((p) => p.uri === uri);
    assert.deepEqual([...new Set(forUri.map((p) => p.version))], [4], 'nothing published for versions 2 and 3');
    // The first (syntactic) publication of version 4 already shows the previous type-aware finding, moved down 3 lines.
    assert.equal(swallowed(forUri[0].diagnostics)[0]?.range.start.line, 7);
  });

  it('offers the rule fix as the preferred quick fix, and the re-published diagnostics drop the finding', async () => {
    const uri = client.uri('src/service.ts');
    const current = client.latestDiagnostics(uri)!;
    const diagnostics = swallowed(current.diagnostics);
    const actions = await codeActions(uri, diagnostics);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, `a preferred fix among ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics, diagnostics);
    const doc = client.document(uri);
    const fixed = applyEdit(doc, fix.edit!);
    assert.match(fixed, /catch \((\w+)\) \{\n\s+console\.error\(/);
    const since = client.diagnostics.length;
    const after = client.replaceAll(uri, fixed);
    const published = await client.waitForDiagnostics(uri, (p) => p.version === after.version, 'diagnostics of the fixed text', since);
    await client.waitFor('the full result of the fixed text', () =>
      client.diagnostics.slice(since).some((p) => p.uri === uri && p.version === after.version && swallowed(p.diagnostics).length === 0) ? true : undefined,
    );
    assert.ok(published);
  });

  it('suppresses a finding with a reason comment above the line, indented like it', async () => {
    const uri = client.uri('src/service.ts');
    let since = client.diagnostics.length;
    const doc = client.replaceAll(uri, SERVICE);
    const published = await client.waitForDiagnostics(uri, (p) => p.version === doc.version && swallowed(p.diagnostics).length > 0, 'finding', since);
    const actions = await codeActions(uri, swallowed(published.diagnostics));
    const suppress = actions.find((a) => a.title === 'Suppress swallowed-error on this line (with reason)');
    assert.ok(suppress?.edit, `a suppress action among ${actions.map((a) => a.title).join(' | ')}`);
    const text = applyEdit(doc, suppress.edit);
    assert.equal(text.split('\n')[4], '  // hardening-ignore-next-line swallowed-error -- <why this is safe>');
    assert.equal(text.split('\n')[5], '  } catch {}');
    since = client.diagnostics.length;
    const after = client.replaceAll(uri, text);
    const clean = await client.waitForDiagnostics(uri, (p) => p.version === after.version && (p.diagnostics[0]?.data as { version?: string } | undefined)?.version !== undefined || (p.version === after.version && p.diagnostics.length === 0), 'diagnostics after suppressing', since);
    await client.waitFor('no finding after the suppression', () => {
      const last = client.latestDiagnostics(uri);
      return last?.version === after.version && swallowed(last.diagnostics).length === 0 ? last : undefined;
    });
    assert.ok(clean);
    assert.deepEqual(codes(client.latestDiagnostics(uri)!.diagnostics), [], 'the suppression is used and valid');
  });

  it('applies every safe fix with source.fixAll.hardening', async () => {
    const uri = client.uri('src/service.ts');
    let since = client.diagnostics.length;
    const doc = client.replaceAll(uri, TWO_SWALLOWS);
    await client.waitForDiagnostics(uri, (p) => p.version === doc.version && swallowed(p.diagnostics).length === 2, 'two findings', since);
    const actions = await codeActions(uri, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.hardening');
    const text = applyEdit(doc, actions[0].edit!);
    assert.equal((text.match(/console\.error\(/g) ?? []).length, 2);
    since = client.diagnostics.length;
    const after = client.replaceAll(uri, text);
    await client.waitForDiagnostics(uri, (p) => p.version === after.version && p.diagnostics.length === 0 && p === client.latestDiagnostics(uri), 'no findings after fix-all', since);
    // Quick-fix-only requests do not get the source action.
    assert.deepEqual(await codeActions(uri, [], ['quickfix']), []);
  });

  it('follows the hardening settings pulled after didChangeConfiguration', async () => {
    const uri = client.uri('src/service.ts');
    let since = client.diagnostics.length;
    const doc = client.replaceAll(uri, SERVICE);
    await client.waitForDiagnostics(uri, (p) => p.version === doc.version && swallowed(p.diagnostics).length === 1, 'finding', since);
    since = client.diagnostics.length;
    client.settings = { enable: true, rules: { 'swallowed-error': 'error' }, exclude: [] };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const asError = await client.waitForDiagnostics(uri, (p) => swallowed(p.diagnostics).some((d) => d.severity === DiagnosticSeverity.Error), 'finding as an error', since);
    assert.equal(asError.version, doc.version);
    since = client.diagnostics.length;
    client.settings = { enable: false };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'cleared when disabled', since);
    since = client.diagnostics.length;
    client.settings = { enable: true, rules: {}, exclude: [] };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.waitForDiagnostics(uri, (p) => swallowed(p.diagnostics).some((d) => d.severity === DiagnosticSeverity.Warning), 'back to a warning', since);
  });

  it('clears the diagnostics of a closed document', async () => {
    const uri = client.uri('src/service.ts');
    const since = client.diagnostics.length;
    client.close(uri);
    const cleared = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'cleared diagnostics', since);
    assert.equal(cleared.version, undefined);
  });

  it('still analyses a document with syntax errors, and keeps serving', async () => {
    const broken = `export function load(text: string {\n  try {\n    return JSON.parse(text);\n  } catch {}\n  const = ;\n`;
    const doc = client.open('src/broken.ts', broken);
    const published = await client.waitForDiagnostics(doc.uri, (p) => p.version === 1 && swallowed(p.diagnostics).length > 0, 'findings in the broken file');
    assert.equal(swallowed(published.diagnostics)[0].range.start.line, 3);
    const actions = await codeActions(doc.uri, swallowed(published.diagnostics));
    assert.ok(actions.length > 0, 'code actions still answered');
    client.close(doc.uri);
  });

  it('skips a 3 MB document with an information diagnostic, and keeps serving', async () => {
    const line = 'export const value_0000000 = "padding padding padding padding padding";\n';
    const huge = line.repeat(Math.ceil((3 * 1024 * 1024) / line.length));
    const doc = client.open('src/huge.ts', huge);
    const published = await client.waitForDiagnostics(doc.uri, (p) => p.diagnostics.length > 0, 'the skipped-file diagnostic');
    assert.equal(published.version, 1);
    assert.deepEqual(codes(published.diagnostics), ['skipped-file']);
    assert.equal(published.diagnostics[0].severity, DiagnosticSeverity.Information);
    assert.match(String(published.diagnostics[0].message), /skipped/);
    client.close(doc.uri);
    const small = client.open('src/small.ts', SERVICE);
    await client.waitForDiagnostics(small.uri, (p) => swallowed(p.diagnostics).length > 0, 'findings of the next document');
    client.close(small.uri);
  });

  it('shuts down and exits cleanly', async () => {
    assert.equal(await client.shutdown(), 0);
  });
});
