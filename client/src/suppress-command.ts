// The client half of "Suppress <rule> on this line (with reason)": the server's code
// action calls this command, which asks for the reason and inserts the comment
// above the line with the line's indentation.
import * as vscode from 'vscode';
import { suppressionComment, type SuppressWithReasonArgs } from '../../server/src/lsp/protocol';

export const SUPPRESS_COMMAND = 'hardening.suppressWithReason';

export async function suppressWithReason(args: SuppressWithReasonArgs): Promise<boolean> {
  const reason = await vscode.window.showInputBox({
    title: `Suppress ${args.ruleId} on this line`,
    prompt: 'Why is this code safe? The reason is kept in the comment for reviewers.',
    placeHolder: 'e.g. the id is validated by the router before this handler runs',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'A reason is required.' : undefined),
  });
  if (reason === undefined) return false;
  const uri = vscode.Uri.parse(args.uri);
  const document = await vscode.workspace.openTextDocument(uri);
  if (args.line >= document.lineCount) return false;
  const indent = /^[ \t]*/.exec(document.lineAt(args.line).text)![0];
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(args.line, 0), suppressionComment(indent, args.ruleId, reason) + eol);
  return vscode.workspace.applyEdit(edit);
}
