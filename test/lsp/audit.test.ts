// `hardening/auditWorkspace` over a temp project of a few hundred files: progress
// ($/progress on a client token, or hardening/auditProgress), diagnostics for files
// not open in the editor, the summary, cancellation, and requests served meanwhile.
import * as assert from 'node:assert/strict';
import { CancellationTokenSource, CodeActionRequest } from 'vscode-languageserver-protocol/node';
import { AUDIT_PROGRESS_METHOD, AUDIT_WORKSPACE_METHOD, type AuditProgress, type AuditResult } from '../../server/src/lsp/protocol';
import { makeWorkspace, removeWorkspaces, TestClient } from './harness';

const FILES = 240;
const SWALLOWING_EVERY = 10;

function moduleText(i: number): string {
  const body = i % SWALLOWING_EVERY === 0 ? '  try {\n    return JSON.parse(text);\n  } catch {}\n  return undefined;' : '  return JSON.parse(text);';
  return `export function parse${i}(text: string): unknown {\n${body}\n}\n`;
}

function project(): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'audit-fixture', private: true }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, lib: ['ES2022', 'DOM'], noEmit: true }, include: ['src'] }),
  };
  for (let i = 0; i < FILES; i++) files[`src/mod${String(i).padStart(3, '0')}.ts`] = moduleText(i);
  // Outside the tsconfig's `include`: inside it, TypeScript would parse it into the program (the engine
  // blanks out only files over 8 MB there), which costs seconds and is not what this test is about.
  const line = 'export const padding_0000 = "padding padding padding padding padding padding";\n';
  files['generated/huge.ts'] = line.repeat(Math.ceil((3 * 1024 * 1024) / line.length));
  return files;
}

describe('language server: workspace audit', function () {
  let client: TestClient;

  before(async () => {
    client = await TestClient.start({ root: makeWorkspace(project()) });
  });

  after(async () => {
    await client?.dispose();
    removeWorkspaces();
  });

  it('audits every file with $/progress, publishing diagnostics for files not open', async () => {
    const open = client.open('src/mod000.ts');
    await client.waitForDiagnostics(open.uri, (p) => p.diagnostics.some((d) => d.code === 'swallowed-error'), 'live diagnostics of the open file');
    const since = client.diagnostics.length;
    const progress = client.trackProgress('audit-1');
    const result: AuditResult = await client.connection.sendRequest(AUDIT_WORKSPACE_METHOD, { workDoneToken: 'audit-1' });

    assert.equal(result.cancelled, false);
    assert.equal(result.files, FILES + 1);
    assert.equal(result.findings, FILES / SWALLOWING_EVERY);
    assert.deepEqual(result.bySeverity, { error: 0, warning: FILES / SWALLOWING_EVERY, info: 0 });
    assert.deepEqual(result.byCategory, { observability: FILES / SWALLOWING_EVERY });
    assert.equal(result.skipped.length, 1);
    assert.match(result.skipped[0].file, /generated\/huge\.ts$/);
    assert.ok(result.durationMs > 0);

    assert.equal(progress[0].kind, 'begin');
    assert.equal((progress[0] as { cancellable?: boolean }).cancellable, true);
    assert.ok(progress.some((p) => p.kind === 'report'));
    await client.waitFor('the end of the progress', () => (progress.at(-1)?.kind === 'end' ? true : undefined));

    const published = client.diagnostics.slice(since);
    const mod010 = published.find((p) => p.uri === client.uri('src/mod010.ts'));
    assert.ok(mod010, 'diagnostics for a file not open');
    assert.equal(mod010.version, undefined);
    assert.deepEqual(mod010.diagnostics.map((d) => d.code), ['swallowed-error']);
    assert.equal(published.find((p) => p.uri === client.uri('generated/huge.ts'))?.diagnostics[0]?.code, 'skipped-file');
    assert.ok(!published.some((p) => p.uri === open.uri), 'the open file keeps its live diagnostics');
  });

  it('reports hardening/auditProgress without a token, serves requests meanwhile, and stops promptly when cancelled', async () => {
    const uri = client.uri('src/mod000.ts');
    const notifications = client.notifications.length;
    const source = new CancellationTokenSource();
    let auditDone = false;
    const audit = client.connection.sendRequest(AUDIT_WORKSPACE_METHOD, {}, source.token).then((r) => {
      auditDone = true;
      return r as AuditResult;
    });
    const first = await client.waitFor('the first file done', () =>
      client.notifications.slice(notifications).find((n) => n.method === AUDIT_PROGRESS_METHOD && (n.params as AuditProgress).done >= 1),
    );
    assert.equal((first.params as AuditProgress).total, FILES + 1);

    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(actions, []);
    assert.equal(auditDone, false, 'the code action was answered while the audit was running');

    source.cancel();
    const result = await audit;
    assert.equal(result.cancelled, true);
    assert.ok(result.files < FILES, `stopped early (${result.files} files)`);
  });

  it('shuts down and exits cleanly', async () => {
    assert.equal(await client.shutdown(), 0);
  });
});
