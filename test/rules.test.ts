// Every rule against its fixtures: findings must match the annotations exactly,
// fixtures must type-check against the real library types, and applying the fixes
// must give the *.fixed.* files and leave no new type errors.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../rules/index';
import { applyAllFixes, compareWithAnnotations, focusRules, FIXTURES_ROOT, fixtureFiles, fixtureWorkspace, restore, typeErrors } from './support/fixtures';

const CODE_FILE = /\.[cm]?[jt]sx?$/;

/** `bad.ts` → `bad.fixed.ts`; another file it edits, `schema.prisma` → `bad.fixed.schema.prisma`. */
function expectedFixedPath(fixture: string, edited: string): string {
  const ext = path.extname(fixture);
  const stem = fixture.slice(0, -ext.length);
  return edited === fixture ? `${stem}.fixed${ext}` : `${stem}.fixed.${path.basename(edited)}`;
}

/** The `X.fixed.*` files beside fixture `X.ts`. */
function expectedFixedFiles(fixture: string): string[] {
  const ext = path.extname(fixture);
  const prefix = `${path.basename(fixture, ext)}.fixed.`;
  return fs.readdirSync(path.dirname(fixture)).filter((n) => n.startsWith(prefix)).map((n) => path.join(path.dirname(fixture), n));
}

describe('rule fixtures', function () {
  for (const rule of ALL_RULES) {
    describe(`${rule.category}/${rule.id}`, () => {
      const dir = path.join(FIXTURES_ROOT, rule.category, rule.id);
      const files = fixtureFiles(dir);

      it('has firing and clean fixtures', () => {
        assert.ok(files.some((f) => path.basename(f).startsWith('bad')), `no bad*.ts fixture in ${dir}`);
        assert.ok(files.some((f) => path.basename(f).startsWith('good')), `no good*.ts fixture in ${dir}`);
      });

      for (const file of files) {
        const name = path.relative(dir, file);
        it(`${name}: findings match the annotations`, () => {
          const ws = fixtureWorkspace();
          const analysis = ws.analyzeFile(file);
          assert.deepEqual(analysis.ruleFailures, [], 'a rule threw');
          const { unexpected, missing } = compareWithAnnotations(file, analysis.findings, rule.id);
          assert.deepEqual({ unexpected, missing }, { unexpected: [], missing: [] });
          if (path.basename(file).startsWith('bad')) {
            assert.ok(analysis.findings.some((f) => f.ruleId === rule.id), `${name} should make ${rule.id} fire`);
          }
        });

        it(`${name}: type-checks against the real library types`, () => {
          assert.deepEqual(typeErrors(fixtureWorkspace(), file), []);
        });

        // `X.fixed.ts` for the fixture's own text, `X.fixed.<basename>` for other files its fixes edit
        // (a fix may edit only a schema, e.g. `bad.fixed.schema.prisma`).
        const expected = expectedFixedFiles(file);
        if (expected.length > 0) {
          it(`${name}: applying the fixes gives ${expected.map((f) => path.basename(f)).join(', ')}, still type-checking`, () => {
            const ws = fixtureWorkspace();
            const before = typeErrors(ws, file).length;
            const outcome = applyAllFixes(ws, file, 20, focusRules(file, rule.id));
            // Other code files the fixes edited (a module, an entity) must type-check no worse either.
            const otherCode = [...outcome.files.keys()].filter((f) => f !== file && CODE_FILE.test(f));
            const otherAfter = new Map(otherCode.map((f) => [f, typeErrors(ws, f)]));
            try {
              assert.ok(outcome.applied.length > 0, 'no fix was offered');
              const produced = new Set<string>();
              for (const [edited, text] of outcome.files) {
                const expectedPath = expectedFixedPath(file, edited);
                produced.add(path.resolve(expectedPath));
                assert.ok(fs.existsSync(expectedPath), `the fix edited ${edited}; write the expected result to ${expectedPath}`);
                assert.equal(text, fs.readFileSync(expectedPath, 'utf8'), `${path.basename(expectedPath)} differs`);
              }
              for (const e of expected) assert.ok(produced.has(path.resolve(e)), `${path.basename(e)} is expected, but no fix produced it`);
              const after = typeErrors(ws, file);
              assert.ok(after.length <= before, `the fix added type errors:\n${after.join('\n')}`);
            } finally {
              restore(ws, outcome.files.keys());
            }
            for (const [other, after] of otherAfter) {
              assert.ok(after.length <= typeErrors(ws, other).length, `the fix added type errors to ${path.basename(other)}:\n${after.join('\n')}`);
            }
          });
        }
      }
    });
  }
});
