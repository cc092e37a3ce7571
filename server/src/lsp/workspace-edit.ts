// A fix's offset edits as an LSP WorkspaceEdit: positions are computed from each
// file's current text (open buffer or disk), open documents are pinned to their
// version, and new files become CreateFile operations.
import type { CreateFile, OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { FileEdit } from '../../../rules/api';
import { LineIndex } from '../engine/line-index';

/** What the client can apply (from its `workspace.workspaceEdit` capabilities). */
export interface EditCapabilities {
  readonly documentChanges: boolean;
  readonly createFiles: boolean;
}

/** Current texts and versions as the server sees them. */
export interface TextSource {
  text(file: string): string | undefined;
  /** The open document's version, or null for a file only on disk. */
  version(file: string): number | null;
  /** The URI the client knows the file by (its own spelling for open documents). */
  uri(file: string): string;
}

function groupByFile(edits: readonly FileEdit[]): Map<string, FileEdit[]> {
  const byFile = new Map<string, FileEdit[]>();
  for (const e of edits) byFile.set(e.fileName, [...(byFile.get(e.fileName) ?? []), e]);
  return byFile;
}

/** The WorkspaceEdit for `edits`, or undefined when the client cannot apply it or a file is gone. */
export function toWorkspaceEdit(edits: readonly FileEdit[], source: TextSource, caps: EditCapabilities): WorkspaceEdit | undefined {
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  const changes: Record<string, TextEdit[]> = {};
  for (const [file, fileEdits] of groupByFile(edits)) {
    const uri = source.uri(file);
    const creates = fileEdits.some((e) => e.create);
    let textEdits: TextEdit[];
    let version: number | null;
    if (creates) {
      if (!caps.documentChanges || !caps.createFiles) return undefined;
      documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
      const start = { line: 0, character: 0 };
      textEdits = fileEdits.map((e) => ({ range: { start, end: start }, newText: e.newText }));
      version = null;
    } else {
      const text = source.text(file);
      if (text === undefined) return undefined;
      const index = new LineIndex(text);
      textEdits = fileEdits.map((e) => ({ range: { start: index.position(e.start), end: index.position(e.end) }, newText: e.newText }));
      version = source.version(file);
    }
    const textDocument: OptionalVersionedTextDocumentIdentifier = { uri, version };
    documentChanges.push({ textDocument, edits: textEdits });
    changes[uri] = textEdits;
  }
  return caps.documentChanges ? { documentChanges } : { changes };
}

/** True when two edits of the same file touch overlapping text (touching ends are fine). */
export function editsOverlap(a: FileEdit, b: FileEdit): boolean {
  if (a.fileName !== b.fileName) return false;
  if (a.create || b.create) return true;
  if (a.start === a.end && b.start === b.end) return false;
  return a.start < b.end && b.start < a.end;
}

export function sameEdit(a: FileEdit, b: FileEdit): boolean {
  return a.fileName === b.fileName && a.start === b.start && a.end === b.end && a.newText === b.newText && !!a.create === !!b.create;
}
