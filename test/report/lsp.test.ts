// `hardening/report` through the real language server: not audited until an audit
// completes (then `hardening/reportUpdated`), the data with the endpoint matrix, the
// HTML/Markdown/SARIF texts, edits of an open file reflected, deleted files dropped.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as sarif from 'sarif';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { packageFile } from '../../server/src/engine/package-root';
import { AUDIT_WORKSPACE_METHOD, REPORT_METHOD, REPORT_UPDATED_METHOD, type AuditResult, type ReportResponse, type ReportTextFormat } from '../../server/src/lsp/protocol';
import type { MatrixRow } from '../../server/src/report/model';
import { makeWorkspace, removeWorkspaces, TestClient } from '../lsp/harness';

const USERS = `import express from 'express';
import { z } from 'zod';

export const app = express();
app.use(express.json());

app.post('/users', (req, res) => {
  const { email, name } = req.body;
  res.status(201).json({ email: String(email).toLowerCase(), name: String(name).trim() });
});
`;

const ADMIN = `import { app } from './users';

app.delete('/admin/users/:id', (req, res) => {
  res.json({ removed: req.params.id.trim() });
});
`;

const NEW_ROUTE = `
app.get('/health', (_req, res) => {
  res.send('ok');
});
`;

const WORKSPACE = {
  'package.json': JSON.stringify({ name: 'report-fixture', private: true, dependencies: { express: '^5.0.0' } }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'nodenext', esModuleInterop: true, noEmit: true }, include: ['src'] }),
  'src/users.ts': USERS,
  'src/admin.ts': ADMIN,
};

function row(response: ReportResponse, key: string): MatrixRow | undefined {
  return response.data.matrix.rows.find((r) => r.key === key);
}

describe('language server: hardening/report', function () {
  let client: TestClient;
  let updates = 0;

  const report = (format: ReportTextFormat = 'data'): Promise<ReportResponse> => client.connection.sendRequest(REPORT_METHOD, { format });

  before(async () => {
    const root = makeWorkspace(WORKSPACE);
    // Library types let the rules and the inventory resolve what `express` is.
    fs.symlinkSync(packageFile('node_modules'), path.join(root, 'node_modules'), 'dir');
    client = await TestClient.start({ root });
    client.connection.onNotification(REPORT_UPDATED_METHOD, () => {
      updates++;
    });
  });

  after(async () => {
    await client?.dispose();
    removeWorkspaces();
  });

  it('says it is not audited before an audit, with an empty report', async () => {
    const response = await report();
    assert.equal(response.audited, false);
    assert.equal(response.data.filesAudited, 0);
    assert.deepEqual(response.data.matrix.rows, []);
    assert.equal(response.text, undefined);
  });

  it('reports the audit: notification, findings, and the matrix with validation failing inside the handler', async () => {
    const audit: AuditResult = await client.connection.sendRequest(AUDIT_WORKSPACE_METHOD, {});
    assert.equal(audit.cancelled, false);
    await client.waitFor('hardening/reportUpdated', () => (updates > 0 ? true : undefined));
    const response = await report();
    assert.equal(response.audited, true);
    assert.equal(response.data.filesAudited, 2);
    assert.equal(response.data.baseDir, client.root.replace(/\\/g, '/'));
    assert.equal(response.data.totals.findings, audit.findings);
    assert.deepEqual(
      response.data.matrix.rows.map((r) => r.key),
      ['DELETE /admin/users/:id', 'POST /users'],
    );
    const users = row(response, 'POST /users')!;
    assert.equal(users.controls.validation.state, 'fail');
    assert.match(users.controls.validation.note, /req\.body/);
    assert.equal(users.controls.validation.location?.fileName, path.join(client.root, 'src/users.ts').replace(/\\/g, '/'));
    assert.equal(users.controls.validation.location?.range.start.line, 7);
  });

  it('gives the report as HTML, Markdown and SARIF', async () => {
    const html = (await report('html')).text ?? '';
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.ok(html.includes('<tr data-endpoint="POST /users">'));
    assert.ok(html.includes('href="vscode://file'));
    const md = (await report('markdown')).text ?? '';
    assert.ok(md.startsWith('# Production readiness: '));
    assert.ok(md.includes('| `POST /users` express |'));
    const log = JSON.parse((await report('sarif')).text!) as sarif.Log;
    assert.equal(log.version, '2.1.0');
    const results = log.runs[0].results ?? [];
    assert.ok(results.some((r) => r.ruleId === 'missing-input-validation' && r.locations?.[0].physicalLocation?.artifactLocation?.uri === 'src/users.ts'));
  });

  it('reflects edits of an open file: a new route appears, a validated body stops failing', async () => {
    const doc = client.open('src/users.ts');
    const validated = USERS.replace('const { email, name } = req.body;', 'const { email, name } = z.object({ email: z.string(), name: z.string() }).parse(req.body);');
    client.replaceAll(doc.uri, validated + NEW_ROUTE);
    // No wait for the analysis of the edit: the report analyses an edited file itself.
    const response = await report();
    assert.deepEqual(
      response.data.matrix.rows.map((r) => r.key),
      ['DELETE /admin/users/:id', 'GET /health', 'POST /users'],
    );
    assert.notEqual(row(response, 'POST /users')!.controls.validation.state, 'fail', JSON.stringify(row(response, 'POST /users')!.controls.validation));
    assert.equal(response.audited, true);
  });

  it('drops a file deleted on disk', async () => {
    const admin = path.join(client.root, 'src/admin.ts');
    fs.rmSync(admin);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri('src/admin.ts'), type: FileChangeType.Deleted }] });
    // The server handles messages in order: the deletion is known when the request is served.
    const response = await report();
    assert.ok(!response.data.matrix.rows.some((r) => r.key.startsWith('DELETE')));
    assert.equal(response.data.filesAudited, 1);
  });
});
