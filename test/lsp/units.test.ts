// The language server's pure parts, without a process: moving ranges through edits,
// choosing the fixes of fix-all, code action kind matching, logging rule failures once.
import * as assert from 'node:assert/strict';
import type { RemoteConsole } from 'vscode-languageserver/node';
import type { Fix } from '../../rules/api';
import type { FileAnalysis, Finding } from '../../server/src/engine/finding';
import { fixAllAction, kindRequested } from '../../server/src/lsp/code-actions';
import { messageWithCwe } from '../../server/src/lsp/diagnostics';
import { ServerLog } from '../../server/src/lsp/log';
import { shiftRange } from '../../server/src/lsp/range-tracking';
import { toWorkspaceEdit, type TextSource } from '../../server/src/lsp/workspace-edit';

const FILE = '/work/app/src/a.ts';

function finding(start: number, fixes: Fix[]): Finding {
  const pos = { line: 0, character: start };
  return {
    ruleId: 'swallowed-error',
    category: 'observability',
    severity: 'warning',
    message: 'm',
    fileName: FILE,
    start,
    end: start + 1,
    range: { start: pos, end: pos },
    cwe: [],
    docsUrl: 'file:///docs.md',
    related: [],
    fingerprint: `f${start}`,
    fixes: () => fixes,
  };
}

function fix(edits: [number, number, string][], safe = true): Fix {
  return { title: 't', safe, isPreferred: true, edits: edits.map(([start, end, newText]) => ({ fileName: FILE, start, end, newText })) };
}

describe('language server units', () => {
  describe('shiftRange', () => {
    const range = { start: { line: 5, character: 4 }, end: { line: 5, character: 10 } };

    it('moves a range down when lines are inserted above it', () => {
      const moved = shiftRange(range, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'a\nb\n' }]);
      assert.deepEqual(moved, { start: { line: 7, character: 4 }, end: { line: 7, character: 10 } });
    });

    it('moves it along its line when text is typed before it on the same line', () => {
      const moved = shiftRange(range, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'xx' }]);
      assert.deepEqual(moved, { start: { line: 5, character: 6 }, end: { line: 5, character: 12 } });
    });

    it('leaves it alone for edits after it, and collapses positions inside deleted text', () => {
      assert.deepEqual(shiftRange(range, [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 3 } }, text: '' }]), range);
      const collapsed = shiftRange(range, [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 6 } }, text: '' }]);
      assert.deepEqual(collapsed, { start: { line: 4, character: 0 }, end: { line: 4, character: 4 } });
    });

    it('gives up on a whole-text replacement', () => {
      assert.equal(shiftRange(range, [{ text: 'everything' }]), undefined);
    });
  });

  describe('fixAllAction', () => {
    const text = 'x'.repeat(100);
    const source: TextSource = { text: () => text, version: () => 3, uri: () => 'file:///work/app/src/a.ts' };
    const caps = { documentChanges: true, createFiles: true };

    it('takes safe fixes that do not collide, once each shared edit', () => {
      const findings = [
        finding(10, [fix([[0, 0, 'import x;\n'], [10, 12, 'A']])]),
        finding(11, [fix([[11, 13, 'B']])]), // overlaps the first: left for the next run
        finding(30, [fix([[0, 0, 'import x;\n'], [30, 31, 'C']])]), // shares the import edit
        finding(50, [fix([[50, 51, 'D']], false)]), // not safe
      ];
      const action = fixAllAction({ uri: source.uri(FILE), file: FILE, findings, source, caps });
      assert.ok(action);
      assert.equal(action.kind, 'source.fixAll.hardening');
      assert.equal(action.title, 'Fix 2 hardening problems safely');
      const change = action.edit!.documentChanges![0] as { textDocument: { version: number }; edits: { newText: string }[] };
      assert.equal(change.textDocument.version, 3);
      assert.deepEqual(
        change.edits.map((e) => e.newText),
        ['import x;\n', 'A', 'C'],
      );
    });

    it('offers nothing when no fix is safe', () => {
      assert.equal(fixAllAction({ uri: 'u', file: FILE, findings: [finding(1, [fix([[1, 2, 'z']], false)])], source, caps }), undefined);
    });
  });

  describe('toWorkspaceEdit', () => {
    const texts: Record<string, string> = { [FILE]: 'line one\nline two\n', '/work/app/prisma/schema.prisma': 'model User {\n  id Int @id\n}\n' };
    const source: TextSource = {
      text: (f) => texts[f],
      version: (f) => (f === FILE ? 7 : null),
      uri: (f) => `file://${f}`,
    };
    const edits = [
      { fileName: FILE, start: 5, end: 8, newText: 'ONE' },
      { fileName: '/work/app/prisma/schema.prisma', start: 26, end: 26, newText: '  @@index([id])\n' },
      { fileName: '/work/app/src/schemas.ts', start: 0, end: 0, newText: 'export {};\n', create: true },
    ];

    it('pins open documents to their version, edits other files by URI and creates new ones', () => {
      const edit = toWorkspaceEdit(edits, source, { documentChanges: true, createFiles: true });
      assert.deepEqual(edit, {
        documentChanges: [
          { textDocument: { uri: 'file:///work/app/src/a.ts', version: 7 }, edits: [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 8 } }, newText: 'ONE' }] },
          { textDocument: { uri: 'file:///work/app/prisma/schema.prisma', version: null }, edits: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '  @@index([id])\n' }] },
          { kind: 'create', uri: 'file:///work/app/src/schemas.ts', options: { overwrite: false, ignoreIfExists: false } },
          { textDocument: { uri: 'file:///work/app/src/schemas.ts', version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'export {};\n' }] },
        ],
      });
    });

    it('falls back to `changes` for clients without documentChanges, and drops fixes that need a new file', () => {
      const plain = toWorkspaceEdit(edits.slice(0, 2), source, { documentChanges: false, createFiles: false });
      assert.deepEqual(Object.keys(plain!.changes!), ['file:///work/app/src/a.ts', 'file:///work/app/prisma/schema.prisma']);
      assert.equal(toWorkspaceEdit(edits, source, { documentChanges: false, createFiles: false }), undefined);
    });
  });

  it('matches code action kinds hierarchically', () => {
    assert.equal(kindRequested(undefined, 'quickfix'), true);
    assert.equal(kindRequested(undefined, 'source.fixAll.hardening'), false);
    assert.equal(kindRequested(['source'], 'source.fixAll.hardening'), true);
    assert.equal(kindRequested(['source.fixAll'], 'source.fixAll.hardening'), true);
    assert.equal(kindRequested(['source.fix'], 'source.fixAll.hardening'), false);
    assert.equal(kindRequested(['quickfix'], 'source.fixAll.hardening'), false);
  });

  it('ends messages with the CWE ids', () => {
    assert.equal(messageWithCwe('Bad.', [89]), 'Bad. (CWE-89)');
    assert.equal(messageWithCwe('Bad.', [20, 89]), 'Bad. (CWE-20, CWE-89)');
    assert.equal(messageWithCwe('Bad.', []), 'Bad.');
  });

  it('logs a rule failure once per rule and file, with the stack', () => {
    const errors: string[] = [];
    const console = { error: (m: string) => errors.push(m), warn: () => undefined, info: () => undefined, log: () => undefined } as unknown as RemoteConsole;
    const log = new ServerLog(console);
    const analysis = (file: string): FileAnalysis => ({
      fileName: file,
      version: 'o1',
      findings: [],
      ruleFailures: [{ ruleId: 'sql-injection', message: 'boom', stack: 'Error: boom\n    at check (sql-injection.ts:10:5)' }],
      budgetSkipped: [],
      budgetCutShort: [],
      cancelled: false,
    });
    log.analysis(analysis('/a.ts'));
    log.analysis(analysis('/a.ts'));
    log.analysis(analysis('/b.ts'));
    assert.equal(errors.length, 2);
    assert.match(errors[0], /^Rule sql-injection failed on \/a\.ts: boom\nError: boom\n {4}at check/);
  });
});
