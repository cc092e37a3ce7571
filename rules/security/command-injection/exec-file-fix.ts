// The fix for a shell command built from words: `exec(\`convert ${file} out.png\`, cb)`
// becomes `execFile('convert', [file, 'out.png'], cb)` — no shell, so the value stays one
// argument whatever it contains. Offered only when the command is plain words (no
// pipes, redirections, quotes, globs or variables for the shell to interpret) and each
// value is a whole word; execFile takes the same options and callback as exec.
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, RuleContext } from '../../api';
import { findAncestor, resolveCall, skipOuter } from '../../shared/callee';

const REPLACEMENT: Readonly<Record<string, string>> = { exec: 'execFile', execSync: 'execFileSync' };
/** Characters a shell gives meaning to: with any of them the command is more than words. */
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]#~{}!%\n]/;

type Piece = { text: string } | { expr: ts.Expression };

export function execFileFix(ctx: RuleContext, call: ts.CallExpression): Fix | undefined {
  const { ts } = ctx;
  const target = resolveCall(ctx, call);
  const replacement = target?.module === 'child_process' ? REPLACEMENT[target.name] : undefined;
  const pieces = replacement ? piecesOf(ts, call.arguments[0]) : undefined;
  const words = pieces && wordsOf(ctx, pieces);
  if (!replacement || !words || words.length === 0 || typeof words[0] !== 'string') return undefined;
  const calleeEdits = renameCallee(ctx, call, replacement);
  if (!calleeEdits) return undefined;
  const sf = ctx.sourceFile;
  const arg = call.arguments[0];
  const rendered = words.slice(1).map((w) => (typeof w === 'string' ? quote(w) : w.getText(sf)));
  return {
    title: `Run \`${words[0]}\` with \`${replacement}\` (no shell)`,
    isPreferred: true,
    safe: false,
    edits: [...calleeEdits, { fileName: ctx.fileName, start: arg.getStart(sf), end: arg.getEnd(), newText: `${quote(words[0])}, [${rendered.join(', ')}]` }],
  };
}

function piecesOf(ts: RuleContext['ts'], arg: ts.Expression | undefined): Piece[] | undefined {
  if (!arg) return undefined;
  const e = skipOuter(ts, arg);
  if (ts.isTemplateExpression(e)) {
    const out: Piece[] = [{ text: e.head.text }];
    for (const span of e.templateSpans) out.push({ expr: span.expression }, { text: span.literal.text });
    return out;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = piecesOf(ts, e.left);
    const right = piecesOf(ts, e.right);
    return left && right ? [...left, ...right] : undefined;
  }
  if (ts.isStringLiteralLike(e)) return [{ text: e.text }];
  return [{ expr: e }];
}

/** The command's words: constant text split on spaces, each value a word of its own; undefined when not that simple. */
function wordsOf(ctx: RuleContext, pieces: readonly Piece[]): (string | ts.Expression)[] | undefined {
  const words: (string | ts.Expression)[] = [];
  let open = false; // the last piece ended inside a word
  for (const piece of pieces) {
    if ('text' in piece) {
      if (SHELL_SYNTAX.test(piece.text)) return undefined;
      if (piece.text.length === 0) continue;
      if (open && !/^\s/.test(piece.text)) return undefined; // `${dir}/file`: a value glued to text
      const parts = piece.text.split(/\s+/).filter((w) => w.length > 0);
      words.push(...parts);
      open = !/\s$/.test(piece.text) && parts.length > 0;
    } else {
      if (open) return undefined;
      words.push(piece.expr);
      open = true;
    }
  }
  return words;
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `cp.exec` → `cp.execFile`; a named import or destructured require gains the new name. */
function renameCallee(ctx: RuleContext, call: ts.CallExpression, replacement: string): FileEdit[] | undefined {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const callee = skipOuter(ts, call.expression);
  if (ts.isPropertyAccessExpression(callee)) return [{ fileName: ctx.fileName, start: callee.name.getStart(sf), end: callee.name.getEnd(), newText: replacement }];
  if (!ts.isIdentifier(callee)) return undefined;
  const decl = ctx.checker.getSymbolAtLocation(callee)?.declarations?.[0];
  const calleeEdit: FileEdit = { fileName: ctx.fileName, start: callee.getStart(sf), end: callee.getEnd(), newText: replacement };
  if (decl && ts.isImportSpecifier(decl) && !decl.propertyName) {
    const named = decl.parent;
    if (named.elements.some((el) => el.name.text === replacement)) return [calleeEdit];
    const last = named.elements[named.elements.length - 1];
    return [{ fileName: ctx.fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${replacement}` }, calleeEdit];
  }
  if (decl && ts.isBindingElement(decl) && !decl.propertyName && ts.isObjectBindingPattern(decl.parent) && findAncestor(ts, decl, ts.isVariableDeclaration)) {
    const pattern = decl.parent;
    if (pattern.elements.some((el) => el.name.getText(sf) === replacement)) return [calleeEdit];
    const last = pattern.elements[pattern.elements.length - 1];
    return [{ fileName: ctx.fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${replacement}` }, calleeEdit];
  }
  return undefined;
}
