// The fix for a committed secret: read it from `process.env.<NAME>` instead. Where the
// receiving type accepts `undefined` (an optional `password` of a pg Pool config) the
// plain read is enough and the library's own default applies; elsewhere the read fails
// fast with a named error, so a missing variable stops the process at the line that
// needs it instead of signing tokens with `undefined`. Never safe: the value must first
// be put in the environment (and a leaked one rotated).
import type { ts } from 'ts-morph';
import type { Fix, RuleContext } from '../api';
import type { SecretSite } from './secret-bindings';

export interface TokenSpan {
  /** Offset and length of the token inside the literal's value. */
  readonly index: number;
  readonly length: number;
}

export function readFromEnvFix(ctx: RuleContext, site: SecretSite, envName: string, token?: TokenSpan): Fix {
  const { ts } = ctx;
  const quote = site.literal.getText(ctx.sourceFile).startsWith('"') ? '"' : "'";
  const failFast = `(() => { throw new Error(${quote}${envName} is not set${quote}); })()`;
  const edit = (node: ts.Node, newText: string) => ({ fileName: ctx.fileName, start: node.getStart(ctx.sourceFile), end: node.getEnd(), newText });
  const fix = (newText: string, node: ts.Node = site.literal): Fix => ({ title: `Read ${envName} from the environment`, isPreferred: true, safe: false, edits: [edit(node, newText)] });

  if (token && !wholeValue(site.literal.text, token)) return fix(templateWithEnv(site.literal, token, `process.env.${envName} ?? ${failFast}`));

  const acceptsUndefined = receiverAcceptsUndefined(ctx, site.bound);
  if (site.fallback) {
    if (acceptsUndefined) return fix(site.fallback.left.getText(ctx.sourceFile), site.fallback);
    // `process.env.JWT_SECRET ?? '…'` keeps its read and loses the committed default.
    return fix(site.fallbackEnv === envName ? failFast : `(process.env.${envName} ?? ${failFast})`);
  }
  const read = acceptsUndefined ? `process.env.${envName}` : `process.env.${envName} ?? ${failFast}`;
  const parent = site.literal.parent;
  if (ts.isJsxAttribute(parent)) return fix(`{${read}}`);
  return fix(acceptsUndefined || isOpenSlot(ts, site.literal) ? read : `(${read})`);
}

function wholeValue(value: string, token: TokenSpan): boolean {
  return value.slice(0, token.index).trim() === '' && value.slice(token.index + token.length).trim() === '';
}

/** `'Bearer ghp_…'` → `` `Bearer ${read}` ``, keeping the rest of the literal as written. */
function templateWithEnv(literal: SecretSite['literal'], token: TokenSpan, read: string): string {
  const value = literal.text;
  const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `\`${escape(value.slice(0, token.index))}\${${read}}${escape(value.slice(token.index + token.length))}\``;
}

/** True when `undefined` may flow where the value goes (an optional option of a library's config). */
function receiverAcceptsUndefined(ctx: RuleContext, bound: ts.Expression): boolean {
  const contextual = ctx.checker.getContextualType(bound);
  return !!contextual && ctx.checker.isTypeAssignableTo(ctx.checker.getUndefinedType(), contextual);
}

/** Slots where an `a ?? b` needs no parentheses: an initializer, an argument, a returned value. */
function isOpenSlot(ts: RuleContext['ts'], literal: ts.Expression): boolean {
  const p = literal.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isReturnStatement(p)) return true;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(literal)) return true;
  return ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === literal;
}
