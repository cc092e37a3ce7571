// Code actions for our diagnostics: each finding's fixes as quick fixes, a
// "suppress with reason" action, and `source.fixAll.hardening`, which applies every
// safe fix that does not collide with another.
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import type { FileEdit, Fix } from '../../../rules/api';
import type { Finding } from '../engine/finding';
import { LineIndex } from '../engine/line-index';
import { isOurDiagnostic } from './diagnostics';
import { FIX_ALL_KIND, PLACEHOLDER_REASON, suppressionComment, type SuppressWithReasonArgs } from './protocol';
import { editsOverlap, sameEdit, toWorkspaceEdit, type EditCapabilities, type TextSource } from './workspace-edit';

export interface ActionContext {
  readonly uri: string;
  readonly file: string;
  /** Findings of the current version of the document. */
  readonly findings: readonly Finding[];
  readonly source: TextSource;
  readonly caps: EditCapabilities;
  /** Client command that asks for the suppression reason, if the client has one. */
  readonly suppressCommand?: string;
}

/** LSP kind matching: `only: ['source']` asks for `source.fixAll.hardening` too. */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return kind === CodeActionKind.QuickFix;
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

function findingOf(diagnostic: Diagnostic, findings: readonly Finding[]): Finding | undefined {
  if (!isOurDiagnostic(diagnostic)) return undefined;
  return (
    findings.find((f) => f.fingerprint === diagnostic.data.fingerprint) ??
    findings.find(
      (f) =>
        f.ruleId === diagnostic.code &&
        f.range.start.line === diagnostic.range.start.line &&
        f.range.start.character === diagnostic.range.start.character,
    )
  );
}

export function quickFixActions(ctx: ActionContext, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const suppressed = new Set<string>();
  for (const diagnostic of diagnostics) {
    const finding = findingOf(diagnostic, ctx.findings);
    if (!finding) continue;
    for (const fix of finding.fixes?.() ?? []) {
      const edit = toWorkspaceEdit(fix.edits, ctx.source, ctx.caps);
      if (!edit) continue;
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred === true, edit });
    }
    const key = `${finding.ruleId}:${finding.range.start.line}`;
    if (finding.category !== 'meta' && !suppressed.has(key)) {
      suppressed.add(key);
      const action = suppressAction(ctx, finding, diagnostic);
      if (action) actions.push(action);
    }
  }
  return actions;
}

function suppressAction(ctx: ActionContext, finding: Finding, diagnostic: Diagnostic): CodeAction | undefined {
  const line = finding.range.start.line;
  const title = `Suppress ${finding.ruleId} on this line (with reason)`;
  if (ctx.suppressCommand) {
    const args: SuppressWithReasonArgs = { uri: ctx.uri, line, ruleId: finding.ruleId };
    return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: ctx.suppressCommand, arguments: [args] } };
  }
  const text = ctx.source.text(ctx.file);
  if (text === undefined) return undefined;
  const index = new LineIndex(text);
  const lineStart = index.offset({ line, character: 0 });
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const comment = suppressionComment(indent, finding.ruleId, PLACEHOLDER_REASON);
  const edit = toWorkspaceEdit([{ fileName: ctx.file, start: lineStart, end: lineStart, newText: comment + eol }], ctx.source, ctx.caps);
  return edit && { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
}

/** The fix `fixAll` would take for a finding: its preferred safe fix, else its first safe one. */
function safeFixOf(finding: Finding): Fix | undefined {
  const fixes = finding.fixes?.() ?? [];
  return fixes.find((f) => f.safe && f.isPreferred) ?? fixes.find((f) => f.safe);
}

/** One action applying every safe fix in the file; a fix colliding with one already taken waits for the next run. */
export function fixAllAction(ctx: ActionContext): CodeAction | undefined {
  const taken: FileEdit[] = [];
  let count = 0;
  for (const finding of ctx.findings) {
    const fix = safeFixOf(finding);
    if (!fix) continue;
    const fresh = fix.edits.filter((e) => !taken.some((t) => sameEdit(t, e)));
    if (fresh.some((e) => taken.some((t) => editsOverlap(t, e)))) continue;
    if (!toWorkspaceEdit(fresh, ctx.source, ctx.caps)) continue;
    taken.push(...fresh);
    count++;
  }
  if (count === 0) return undefined;
  const edit = toWorkspaceEdit(taken, ctx.source, ctx.caps);
  if (!edit) return undefined;
  return { title: `Fix ${count} hardening problem${count === 1 ? '' : 's'} safely`, kind: FIX_ALL_KIND, edit };
}
