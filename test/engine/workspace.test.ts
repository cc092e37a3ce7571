// The workspace model: which program compiles a file, unsaved buffers, isolation of
// failing rules, the time budget, skipped files, excludes and broken tsconfigs.
import * as assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine/workspace';
import { cooperative, flagDebugger, slow, throwing, typeAware } from './test-rules';
import { removeProject, tempProject } from './temp-project';

describe('workspace', () => {
  const roots: string[] = [];
  const project = (files: Record<string, string>) => {
    const r = tempProject(files);
    roots.push(r);
    return r;
  };
  after(() => roots.forEach(removeProject));

  it('type-checks with the nearest tsconfig and real library types', () => {
    const root = project({
      'tsconfig.json': '{ "compilerOptions": { "strict": true, "module": "nodenext" }, "include": ["src"] }',
      'src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\n",
    });
    const ws = new Workspace({ roots: [root], rules: [typeAware] });
    const [f] = ws.analyzeFile(`${root}/src/db.ts`).findings;
    assert.equal(f.message, '`pool` is `Pool`');
    ws.dispose();
  });

  it('gives files outside any tsconfig an inferred program that still resolves imports', () => {
    const root = project({ 'scripts/db.js': "const { Pool } = require('pg');\nconst pool = new Pool();\n" });
    const ws = new Workspace({ roots: [root], rules: [typeAware] });
    const [f] = ws.analyzeFile(`${root}/scripts/db.js`).findings;
    assert.equal(f.message, '`pool` is `Pool`');
    ws.dispose();
  });

  it('analyses the unsaved buffer, and versions follow the document', () => {
    const root = project({ 'a.ts': 'export const a = 1;\n' });
    const ws = new Workspace({ roots: [root], rules: [flagDebugger] });
    assert.equal(ws.analyzeFile(`${root}/a.ts`).findings.length, 0);
    ws.changeDocument(`${root}/a.ts`, 'export const a = 1;\ndebugger;\n', 7);
    const r = ws.analyzeFile(`${root}/a.ts`);
    assert.equal(r.version, 'o7');
    assert.deepEqual(r.findings.map((f) => f.range.start.line), [1]);
    ws.closeDocument(`${root}/a.ts`);
    assert.equal(ws.analyzeFile(`${root}/a.ts`).findings.length, 0);
    ws.dispose();
  });

  it('keeps running the other rules when one throws, and records the failure', () => {
    const root = project({ 'a.ts': 'debugger;\n' });
    const ws = new Workspace({ roots: [root], rules: [throwing, flagDebugger] });
    const r = ws.analyzeFile(`${root}/a.ts`);
    assert.deepEqual(r.ruleFailures.map((f) => [f.ruleId, f.message]), [['sql-injection', 'rule exploded']]);
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['swallowed-error']);
    ws.dispose();
  });

  it('stops at the time budget and says which rules did not run', () => {
    const root = project({ '.hardening.json': '{ "timeBudgetMs": 50 }', 'a.ts': 'debugger;\n' });
    const ws = new Workspace({ roots: [root], rules: [slow, flagDebugger] });
    const r = ws.analyzeFile(`${root}/a.ts`);
    assert.deepEqual(r.budgetSkipped, ['swallowed-error']);
    const notice = r.findings.find((f) => f.ruleId === 'skipped-file');
    assert.ok(notice && /not run: swallowed-error/.test(notice.message));
    ws.dispose();
  });

  it('says which rule was cut short when it stopped early at the budget', () => {
    const root = project({ '.hardening.json': '{ "timeBudgetMs": 50 }', 'a.ts': 'debugger;\n' });
    const ws = new Workspace({ roots: [root], rules: [flagDebugger, cooperative] });
    const r = ws.analyzeFile(`${root}/a.ts`);
    assert.deepEqual(r.budgetCutShort, ['missing-input-validation']);
    const notice = r.findings.find((f) => f.ruleId === 'skipped-file');
    assert.ok(notice && /cut short: missing-input-validation/.test(notice.message), notice?.message);
    ws.dispose();
  });

  it('skips huge, minified and binary files with one information finding', () => {
    const root = project({
      'big.ts': `export const s = ${JSON.stringify('x'.repeat(2 * 1024 * 1024))};\n`,
      'min.js': `${'var a=1;'.repeat(5000)}\n`,
      'bin.ts': 'abc\u0000\u0001\u0002',
    });
    const ws = new Workspace({ roots: [root], rules: [flagDebugger] });
    for (const [file, reason] of [['big.ts', /over the 1024 KB limit/], ['min.js', /minified/], ['bin.ts', /binary/]] as const) {
      const r = ws.analyzeFile(`${root}/${file}`);
      assert.match(r.skipped ?? '', reason);
      assert.deepEqual(r.findings.map((f) => [f.ruleId, f.severity]), [['skipped-file', 'info']]);
    }
    ws.dispose();
  });

  it('honours .gitignore and configured excludes, and never lists node_modules or .d.ts', () => {
    const root = project({
      '.gitignore': 'build/\n',
      '.hardening.json': '{ "exclude": ["generated/**"] }',
      'src/a.ts': '',
      'src/types.d.ts': '',
      'build/a.js': '',
      'generated/x.ts': '',
      'node_modules/m/index.js': '',
    });
    const ws = new Workspace({ roots: [root] });
    assert.deepEqual(ws.listFiles(), [`${root}/src/a.ts`]);
    assert.equal(ws.isExcluded(`${root}/generated/x.ts`), true);
    ws.dispose();
  });

  it('survives a tsconfig that extends a missing file or extends itself', () => {
    const root = project({
      'a/tsconfig.json': '{ "extends": "./missing.json", "include": ["*.ts"] }',
      'a/x.ts': 'debugger;\n',
      'b/tsconfig.json': '{ "extends": "./tsconfig.json", "include": ["*.ts"] }',
      'b/y.ts': 'debugger;\n',
    });
    const ws = new Workspace({ roots: [root], rules: [flagDebugger] });
    assert.equal(ws.analyzeFile(`${root}/a/x.ts`).findings.length, 1);
    assert.equal(ws.analyzeFile(`${root}/b/y.ts`).findings.length, 1);
    const problems = ws.projectProblems().map((p) => p.message).join('\n');
    assert.match(problems, /missing\.json/);
    assert.match(problems, /[Cc]ircular/);
    ws.dispose();
  });

  it('reports a broken .hardening.json and keeps analysing with the defaults', () => {
    const root = project({ '.hardening.json': '{ "rules": ', 'a.ts': 'debugger;\n' });
    const ws = new Workspace({ roots: [root], rules: [flagDebugger] });
    assert.match(ws.configProblems()[0].message, /not valid JSON/);
    assert.equal(ws.analyzeFile(`${root}/a.ts`).findings.length, 1);
    ws.dispose();
  });

  it('turns a rule off from .hardening.json and picks up edits to it', () => {
    const root = project({ '.hardening.json': '{ "rules": { "swallowed-error": "off" } }', 'a.ts': 'debugger;\n' });
    const ws = new Workspace({ roots: [root], rules: [flagDebugger] });
    assert.equal(ws.analyzeFile(`${root}/a.ts`).findings.length, 0);
    ws.changeDocument(`${root}/.hardening.json`, '{ "rules": { "swallowed-error": "error" } }', 2);
    const [f] = ws.analyzeFile(`${root}/a.ts`).findings;
    assert.equal(f.severity, 'error');
    ws.dispose();
  });

  it('abandons a cancelled analysis', () => {
    const root = project({ 'a.ts': 'debugger;\n' });
    const ws = new Workspace({ roots: [root], rules: [flagDebugger] });
    const r = ws.analyzeFile(`${root}/a.ts`, { isCancelled: () => true });
    assert.equal(r.cancelled, true);
    assert.equal(r.findings.length, 0);
    ws.dispose();
  });

  it('keeps fingerprints stable when lines shift', () => {
    const root = project({ 'a.ts': 'debugger;\n' });
    const ws = new Workspace({ roots: [root], rules: [flagDebugger] });
    const before = ws.analyzeFile(`${root}/a.ts`).findings[0].fingerprint;
    ws.changeDocument(`${root}/a.ts`, '\n\nconst x = 1;\ndebugger;\n', 2);
    assert.equal(ws.analyzeFile(`${root}/a.ts`).findings[0].fingerprint, before);
    ws.dispose();
  });
});
