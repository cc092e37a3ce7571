// The fix of timing-unsafe-comparison: `a === b` on two strings becomes a byte-length
// check followed by node:crypto's `timingSafeEqual` on their UTF-8 bytes. The length
// check keeps `timingSafeEqual` from throwing on inputs of different lengths, so the
// result is the same as `===` for every well-formed string. Offered only when both sides
// are plain reads (evaluating them twice changes nothing) typed as strings or Buffers.
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, RuleContext } from '../api';
import { skipOuter } from './callee';

type Kind = 'string' | 'buffer';

export function timingSafeFix(ctx: RuleContext, node: ts.BinaryExpression | ts.CallExpression, left: ts.Expression, right: ts.Expression, negated: boolean): Fix | undefined {
  const { ts } = ctx;
  const kinds = [kindOf(ctx, left), kindOf(ctx, right)];
  if (!kinds[0] || !kinds[1] || !isPlainRead(ctx, left) || !isPlainRead(ctx, right)) return undefined;
  const { callee, edit } = timingSafeEqualName(ctx);
  const [a, b] = [left, right].map((e) => skipOuter(ts, e).getText());
  const bytes = (text: string, kind: Kind) => (kind === 'string' ? `Buffer.from(${text})` : text);
  const length = (text: string, kind: Kind) => (kind === 'string' ? `Buffer.byteLength(${text})` : `${text}.length`);
  const check = `${length(a, kinds[0])} === ${length(b, kinds[1])} && ${callee}(${bytes(a, kinds[0])}, ${bytes(b, kinds[1])})`;
  const text = negated ? `!(${check})` : needsParens(ts, node) ? `(${check})` : check;
  const edits: FileEdit[] = [{ fileName: ctx.fileName, start: node.getStart(ctx.sourceFile), end: node.getEnd(), newText: text }];
  if (edit) edits.push(edit);
  return { title: 'Compare with crypto.timingSafeEqual', isPreferred: true, safe: true, edits };
}

function kindOf(ctx: RuleContext, expr: ts.Expression): Kind | undefined {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(expr);
  if (type.flags & ts.TypeFlags.String) return 'string';
  const name = type.getSymbol()?.name;
  const file = type.getSymbol()?.declarations?.[0]?.getSourceFile().fileName ?? '';
  return name === 'Buffer' && file.includes('/@types/node/') ? 'buffer' : undefined;
}

/** `token`, `req.body.token`, `this.config.apiKey`, `process.env['API_KEY']`: no call, nothing to run twice. */
function isPlainRead(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(e)) return isPlainRead(ctx, e.expression);
  if (ts.isElementAccessExpression(e)) return ts.isStringLiteralLike(e.argumentExpression) && isPlainRead(ctx, e.expression);
  return false;
}

/** `a && b` needs parentheses unless it stands alone as a condition, initializer, return value or argument. */
function needsParens(ts: RuleContext['ts'], node: ts.Node): boolean {
  const p = node.parent;
  if (ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isParenthesizedExpression(p) || ts.isReturnStatement(p) || ts.isVariableDeclaration(p) || ts.isCallExpression(p) || ts.isExpressionStatement(p)) return false;
  if (ts.isBinaryExpression(p)) return p.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken;
  return true;
}

/** How `timingSafeEqual` is spelled in this file, and the import edit when it is not reachable yet. */
function timingSafeEqualName(ctx: RuleContext): { callee: string; edit?: FileEdit } {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const fromCrypto = (m: ts.Expression | undefined) => !!m && ts.isStringLiteral(m) && (m.text === 'crypto' || m.text === 'node:crypto');
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && fromCrypto(s.moduleSpecifier) && s.importClause && !s.importClause.isTypeOnly) {
      const bindings = s.importClause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) return { callee: `${bindings.name.text}.timingSafeEqual` };
      if (s.importClause.name) return { callee: `${s.importClause.name.text}.timingSafeEqual` };
      if (bindings && ts.isNamedImports(bindings)) {
        const existing = bindings.elements.find((el) => (el.propertyName ?? el.name).text === 'timingSafeEqual' && !el.isTypeOnly);
        if (existing) return { callee: existing.name.text };
        const last = bindings.elements[bindings.elements.length - 1];
        if (last) return { callee: 'timingSafeEqual', edit: { fileName: ctx.fileName, start: last.getEnd(), end: last.getEnd(), newText: ', timingSafeEqual' } };
      }
    }
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer && skipOuter(ts, d.initializer);
        if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && fromCrypto(init.arguments[0]) && ts.isIdentifier(d.name)) {
          return { callee: `${d.name.text}.timingSafeEqual` };
        }
      }
    }
  }
  const commonJs = /\.c?js$/.test(ctx.fileName) && !sf.statements.some((s) => ts.isImportDeclaration(s));
  const line = commonJs ? `const { timingSafeEqual } = require('node:crypto');` : `import { timingSafeEqual } from 'node:crypto';`;
  const imports = sf.statements.filter((s) => ts.isImportDeclaration(s));
  const at = imports.length > 0 ? imports[imports.length - 1].getEnd() : (sf.statements[0]?.getStart(sf) ?? 0);
  return { callee: 'timingSafeEqual', edit: { fileName: ctx.fileName, start: at, end: at, newText: imports.length > 0 ? `\n${line}` : `${line}\n\n` } };
}
