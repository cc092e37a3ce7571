// The catalogue's invariants: every rule is registered, documented, configurable and
// fixture-tested, and its docs' examples really behave as the docs say.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATEGORIES } from '../rules/api';
import { ALL_RULES } from '../rules/index';
import { META_RULES } from '../rules/meta';
import { docsPath } from '../server/src/engine/docs-url';
import { packageFile } from '../server/src/engine/package-root';
import { Workspace } from '../server/src/engine/workspace';
import { FIXTURES_ROOT, fixtureFiles, fixtureWorkspace } from './support/fixtures';
import { exampleFiles, readRuleDoc, REQUIRED_SECTIONS } from './support/rule-docs';

const RULES_DIR = packageFile('rules');
const EXAMPLES_ROOT = packageFile('test/.doc-examples');

function ruleFilesOnDisk(): string[] {
  return CATEGORIES.flatMap((c) => {
    const dir = path.join(RULES_DIR, c);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => `${c}/${f.slice(0, -3)}`) : [];
  });
}

/** Writes a docs section's examples as a small project inside the repo (so node_modules resolves). */
function writeExampleProject(ruleId: string, kind: string, section: string): string {
  const dir = path.join(EXAMPLES_ROOT, ruleId, kind);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES_ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.copyFileSync(path.join(FIXTURES_ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.copyFileSync(path.join(FIXTURES_ROOT, '.hardening.json'), path.join(dir, '.hardening.json'));
  for (const file of exampleFiles(section)) {
    const target = path.join(dir, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.text);
  }
  return dir;
}

describe('rule catalogue', () => {
  it('registers every rule file, with an id equal to its file name and category folder', () => {
    const registered = ALL_RULES.map((r) => `${r.category}/${r.id}`).sort();
    assert.deepEqual(registered, ruleFilesOnDisk().sort());
    assert.equal(new Set(ALL_RULES.map((r) => r.id)).size, ALL_RULES.length, 'duplicate rule ids');
  });

  it('lists every rule id in the .hardening.json schema (for completion and validation)', () => {
    const schema = JSON.parse(fs.readFileSync(packageFile('schema/hardening.schema.json'), 'utf8'));
    const listed: string[] = schema.properties.rules.propertyNames.enum;
    for (const r of [...ALL_RULES, ...META_RULES]) assert.ok(listed.includes(r.id), `${r.id} missing from schema/hardening.schema.json`);
  });

  for (const meta of META_RULES) {
    it(`documents the engine's ${meta.id}`, () => {
      assert.ok(fs.existsSync(docsPath(meta)), `missing ${docsPath(meta)}`);
    });
  }

  for (const rule of ALL_RULES) {
    describe(rule.id, () => {
      it('declares itself completely', () => {
        assert.match(rule.id, /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/);
        assert.ok(CATEGORIES.includes(rule.category));
        assert.ok(rule.description.length > 10 && !rule.description.includes('\n'));
        for (const cwe of rule.cwe) assert.ok(Number.isInteger(cwe) && cwe > 0);
      });

      it('has docs with front matter matching the rule and every section', () => {
        const file = docsPath(rule);
        assert.ok(fs.existsSync(file), `missing ${file}`);
        const doc = readRuleDoc(file);
        assert.equal(doc.frontMatter.id, rule.id);
        assert.equal(doc.frontMatter.category, rule.category);
        assert.equal(doc.frontMatter.severity, rule.defaultSeverity);
        assert.equal(doc.frontMatter.fixable, String(rule.fixable));
        assert.deepEqual(JSON.parse(doc.frontMatter.cwe ?? '[]'), [...rule.cwe]);
        assert.equal(doc.title, rule.id);
        for (const s of REQUIRED_SECTIONS) assert.ok(doc.sections.has(s), `docs lack "## ${s}"`);
      });

      it("docs' Incorrect example fires and Correct example stays silent", () => {
        const doc = readRuleDoc(docsPath(rule));
        const incorrect = writeExampleProject(rule.id, 'incorrect', doc.sections.get('Incorrect') ?? '');
        const correct = writeExampleProject(rule.id, 'correct', doc.sections.get('Correct') ?? '');
        const ws = new Workspace({ roots: [incorrect, correct] });
        try {
          const findingsIn = (root: string) => ws.listFiles().filter((f) => f.startsWith(root.replace(/\\/g, '/'))).flatMap((f) => ws.analyzeFile(f).findings);
          assert.ok(findingsIn(incorrect).some((f) => f.ruleId === rule.id), 'the Incorrect example does not make the rule fire');
          // Only this rule: a short example would otherwise have to satisfy every app-level rule too
          // (helmet, rate limits), burying what it shows.
          assert.deepEqual(findingsIn(correct).filter((f) => f.ruleId === rule.id).map((f) => `${f.ruleId}: ${f.message}`), [], 'the Correct example has findings');
        } finally {
          ws.dispose();
        }
      });

      it('names the code concerned in every message of its fixtures', () => {
        const ws = fixtureWorkspace();
        const dir = path.join(FIXTURES_ROOT, rule.category, rule.id);
        for (const file of fixtureFiles(dir)) {
          for (const f of ws.analyzeFile(file).findings.filter((x) => x.ruleId === rule.id)) {
            assert.match(f.message, /`[^`]+`/, `message does not name code in backticks: ${f.message}`);
          }
        }
      });
    });
  }
});
