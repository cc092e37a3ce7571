// The Markdown report: the same sections as the HTML, tables GitHub renders, the
// matrix in ✅ ⚠️ ❌ –, and text from user code unable to break a table or add markup.
import * as assert from 'node:assert/strict';
import { renderMarkdown } from '../../server/src/report/markdown';
import { buildReport } from '../../server/src/report/model';
import { cells, endpoint, finding, input, range } from './report-fixtures';

function matrixLines(md: string): string[] {
  const start = md.indexOf('## Endpoint matrix');
  const end = md.indexOf('## Top files');
  return md.slice(start, end).split('\n').filter((l) => l.startsWith('|'));
}

/** Cells of a table row, split on the pipes that are not escaped. */
function columns(line: string): string[] {
  return line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

describe('report markdown', () => {
  const data = buildReport(
    input({
      findings: [
        finding({ ruleId: 'missing-input-validation', category: 'validation', range: range(12, 4), message: '`req.body | x` is used <b>raw</b> | here' }),
        finding({ ruleId: 'sql-injection', severity: 'error', range: range(30, 2), message: 'SQL built from `req.query.name`.' }),
      ],
      endpoints: [
        endpoint({ controls: cells({ authentication: { state: 'ok', note: 'requireAuth' }, pagination: { state: 'na', note: 'returns one user' } }) }),
        endpoint({ method: 'DELETE', path: '/users/:id|all' }),
      ],
    }),
  );
  const md = renderMarkdown(data);

  it('starts with the production-readiness verdict and the category summary', () => {
    assert.ok(md.startsWith('# Production readiness: Blocking\n'));
    assert.ok(md.includes('| Security | Blocking | 1 | 0 | 0 | 1 |'));
    assert.ok(md.includes('| Input validation | Needs work | 0 | 1 | 0 | 1 |'));
    assert.ok(md.includes('| Authentication & authorisation | Not checked | 0 | 0 | 0 | 0 |'));
    assert.ok(md.includes('| **All** | **Blocking** | 1 | 1 | 0 | 2 |'));
  });

  it('renders the matrix with one row per endpoint and a symbol per control, linking failures to the finding', () => {
    const lines = matrixLines(md);
    assert.deepEqual(columns(lines[0]), ['Endpoint', 'Handler', 'Authentication', 'Input validation', 'Rate limiting', 'Error handling', 'Pagination', 'Timeouts (outgoing calls)']);
    assert.equal(lines.length, 4, 'header, separator, two rows');
    const row = columns(lines.find((l) => l.includes('`GET /users/:id`'))!);
    assert.equal(row.length, 8);
    assert.equal(row[2], '✅');
    assert.equal(row[3], '[❌](src/routes/users.ts#L13 "`req.body   x` is used <b>raw</b>   here")');
    assert.equal(row[4], '⚠️');
    assert.equal(row[6], '–');
    // A pipe in a route path stays inside its cell.
    const other = columns(lines.find((l) => l.includes('DELETE'))!);
    assert.equal(other.length, 8);
    assert.equal(other[0], '`DELETE /users/:id\\|all` express');
  });

  it('keeps code spans of messages as code and escapes the rest', () => {
    const line = md.split('\n').find((l) => l.startsWith('| warning | missing-input-validation'));
    assert.equal(line, '| warning | missing-input-validation | [src/routes/users.ts:13:5](src/routes/users.ts#L13) | `req.body \\| x` is used \\<b\\>raw\\</b\\> \\| here |');
    assert.equal(columns(line!).length, 4);
  });

  it('lists the top files with their weight', () => {
    assert.ok(md.includes('| src/routes/users.ts | 1 | 1 | 0 | 13 |'));
  });
});
