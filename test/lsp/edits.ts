// Applies a server's WorkspaceEdit to the texts a test holds, the way an editor would.
import * as assert from 'node:assert/strict';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** The text edits the WorkspaceEdit makes to `uri` (documentChanges or changes), checking the pinned version. */
export function editsFor(edit: WorkspaceEdit, uri: string, version?: number): TextEdit[] {
  const out: TextEdit[] = [];
  for (const change of edit.documentChanges ?? []) {
    if (!('textDocument' in change) || change.textDocument.uri !== uri) continue;
    if (version !== undefined) assert.equal(change.textDocument.version, version, 'the edit is pinned to the current version');
    out.push(...(change.edits as TextEdit[]));
  }
  for (const e of edit.changes?.[uri] ?? []) out.push(e);
  return out;
}

/** `doc`'s text after the edit. */
export function applyEdit(doc: TextDocument, edit: WorkspaceEdit): string {
  const edits = editsFor(edit, doc.uri, doc.version);
  assert.ok(edits.length > 0, `the edit changes ${doc.uri}`);
  return TextDocument.applyEdits(doc, edits);
}
