// The report reads what an unguarded-external-call finding is about from the shape of
// its message. This runs the real rule over its fixtures, so a reworded message that
// the report no longer recognises fails here rather than silently emptying a column.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { externalCallConcerns } from '../../server/src/report/external-call-concerns';
import { FIXTURES_ROOT, fixtureFiles, fixtureWorkspace } from '../support/fixtures';

const RULE = 'unguarded-external-call';

describe('report: what an unguarded-external-call finding is about', () => {
  it('recognises every message the rule gives on its fixtures, and each kind occurs', () => {
    const ws = fixtureWorkspace();
    const files = fixtureFiles(path.join(FIXTURES_ROOT, 'error-handling', RULE));
    const kinds = new Set<string>();
    const unrecognised: string[] = [];
    for (const file of files) {
      for (const f of ws.analyzeFile(file).findings.filter((x) => x.ruleId === RULE)) {
        const concerns = externalCallConcerns(f.message);
        if (concerns.length === 0) unrecognised.push(f.message);
        kinds.add([...concerns].sort().join('+'));
      }
    }
    assert.deepEqual(unrecognised, []);
    assert.ok(kinds.has('timeouts'), `kinds seen: ${[...kinds].join(', ')}`);
    assert.ok(kinds.has('errorHandling'), `kinds seen: ${[...kinds].join(', ')}`);
  });

  it('tells the wordings apart, whatever the call`s text', () => {
    assert.deepEqual(externalCallConcerns('`axios.get` to an external service has no timeout: set `timeout` on the call.'), ['timeouts']);
    assert.deepEqual(externalCallConcerns('`fetch` to an external service has no timeout and its failure reaches `h` unhandled: add a timeout and handle the error.'), [
      'timeouts',
      'errorHandling',
    ]);
    assert.deepEqual(externalCallConcerns('`http.get` to an external service has no timeout and no `error` listener: add a timeout.'), ['timeouts', 'errorHandling']);
    assert.deepEqual(externalCallConcerns('`http.get` to an external service has no `error` listener: handle the `error` event.'), ['errorHandling']);
    assert.deepEqual(externalCallConcerns('The failure of `fetch` to an external service reaches `h` unhandled: catch it there.'), ['errorHandling']);
    // A handler label that happens to contain the rule's words does not change the reading.
    assert.deepEqual(externalCallConcerns('The failure of `got` to an external service reaches the `GET /has no timeout:` handler unhandled: catch it.'), ['errorHandling']);
    assert.deepEqual(externalCallConcerns('Something else entirely.'), []);
  });
});
