// The taint engine through a probe rule: `sink(x)` in the fixtures under
// test/fixtures/taint is reported with the source's kind and label and each step of the
// path, so the annotations there pin sources, propagation, guards, sanitisers and the
// cross-file summaries. `htmlSink(x)` counts HTML escaping as a sanitiser.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { Rule } from '../../rules/api';
import { findTaintedSinks, relatedSteps, type SinkSpec } from '../../rules/taint';
import { packageFile } from '../../server/src/engine/package-root';
import { normalizePath } from '../../server/src/engine/paths';
import { Workspace } from '../../server/src/engine/workspace';
import { compareWithAnnotations, fixtureFiles } from '../support/fixtures';

const ROOT = normalizePath(packageFile('test/fixtures/taint'));

const spec: SinkSpec = {
  id: 'taint-probe',
  sinksAt(ctx, node: ts.Node) {
    const { ts } = ctx;
    if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.arguments.length !== 1) return [];
    const name = node.expression.text;
    return name === 'sink' || name === 'htmlSink' ? [{ expr: node.arguments[0], label: name }] : [];
  },
  isSanitizer: (kind, _node, sink) => sink.label === 'htmlSink' && (kind === 'html-escape' || kind === 'html-sanitize'),
};

const probe: Rule = {
  id: 'taint-probe',
  category: 'security',
  cwe: [],
  defaultSeverity: 'warning',
  description: 'test rule: reports untrusted data reaching sink(x)',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    for (const found of findTaintedSinks(ctx, spec)) {
      const steps = found.steps.map((s) => s.message).join(' > ');
      ctx.report({ node: found.reportNode, message: `${found.source.kind}:${found.source.label} [${steps}]`, related: relatedSteps(found) });
    }
  },
};

describe('taint engine', function () {
  this.timeout(120_000);
  let ws: Workspace;
  before(() => {
    ws = new Workspace({ roots: [ROOT], rules: [probe] });
  });
  after(() => ws.dispose());

  for (const file of fixtureFiles(ROOT).filter((f) => !f.includes('/lib/'))) {
    it(`${path.relative(ROOT, file)}: sources, paths and guards match the annotations`, () => {
      const analysis = ws.analyzeFile(file, { budgetScale: 20 });
      assert.deepEqual(analysis.ruleFailures, []);
      assert.deepEqual(compareWithAnnotations(file, analysis.findings, 'taint-probe'), { unexpected: [], missing: [] });
    });
  }

  it('gives the path as related steps, source first and across files', () => {
    const file = `${ROOT}/propagation.ts`;
    const finding = ws.analyzeFile(file, { budgetScale: 20 }).findings.find((f) => f.message.includes('runReport'));
    assert.ok(finding, 'no finding through runReport');
    const related = (finding.related ?? []).map((r) => `${path.basename(r.fileName)}:${r.range.start.line + 1} ${r.message}`);
    assert.deepEqual(related, [
      'propagation.ts:24 `req.query.report` comes from the request',
      'propagation.ts:24 `report` holds it',
      'sinks.ts:2 `runReport` takes it as `name`',
      'sinks.ts:3 `command` holds it',
      'sinks.ts:4 it reaches `sink`',
    ]);
  });
});
