// timing-unsafe-comparison: a secret checked with `===`/`!==` (or Buffer `equals`/`compare`)
// against a value the caller supplies. String equality stops at the first differing byte,
// so response times reveal how much of a guess was right. The fix compares with
// node:crypto's `timingSafeEqual` after a length check.
import type { ts } from 'ts-morph';
import type { RelatedInput, Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { shortText } from '../shared/source-text';
import { timingSafeFix } from '../shared/timing-fix';
import { describeOperand, isBufferMethod, isConstantSide, type Operand } from '../shared/timing-operands';

export const rule: Rule = {
  id: 'timing-unsafe-comparison',
  category: 'security',
  cwe: [208],
  defaultSeverity: 'warning',
  description: 'A secret (API key, token, signature, HMAC digest) is compared with `===` or Buffer `equals`, which leaks through timing how much of a guess matched.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    const { ts } = ctx;
    if (isTestModule(ctx)) return;
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && isEquality(ts, node.operatorToken.kind)) checkPair(ctx, node, node.left, node.right);
      else if (ts.isCallExpression(node)) checkBufferCall(ctx, node);
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function isEquality(ts: RuleContext['ts'], kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
}

/** `a.equals(b)` and `Buffer.compare(a, b)` on Buffers. */
function checkBufferCall(ctx: RuleContext, call: ts.CallExpression): void {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return;
  if (callee.name.text === 'equals' && call.arguments.length === 1 && isBufferMethod(ctx, call, ['equals'])) checkPair(ctx, call, callee.expression, call.arguments[0]);
  else if (callee.name.text === 'compare' && call.arguments.length === 2 && ts.isIdentifier(callee.expression) && callee.expression.text === 'Buffer' && isBufferMethod(ctx, call, ['compare'])) {
    checkPair(ctx, call, call.arguments[0], call.arguments[1]);
  }
}

function checkPair(ctx: RuleContext, node: ts.BinaryExpression | ts.CallExpression, left: ts.Expression, right: ts.Expression): void {
  const { ts } = ctx;
  if (isConstantSide(ctx, left) || isConstantSide(ctx, right)) return;
  const l = describeOperand(ctx, left);
  const r = describeOperand(ctx, right);
  const pair = secretAgainstSupplied(l, r) ? { supplied: left, stored: right, s: l, t: r } : secretAgainstSupplied(r, l) ? { supplied: right, stored: left, s: r, t: l } : undefined;
  if (!pair) return;
  const shown = ts.isBinaryExpression(node) ? `\`${shortText(ctx, pair.supplied)} ${node.operatorToken.getText()} ${shortText(ctx, pair.stored)}\`` : `\`${shortText(ctx, node)}\``;
  const related: RelatedInput[] = [];
  if (pair.s.origin) related.push({ node: pair.s.origin, message: `\`${shortText(ctx, pair.s.origin)}\`: the value the caller supplies`, step: true });
  if (pair.t.origin && pair.t.origin !== pair.s.origin) related.push({ node: pair.t.origin, message: `\`${shortText(ctx, pair.t.origin)}\`: the secret it is checked against` });
  const negated = ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken);
  const fixable = ts.isBinaryExpression(node) || (ts.isPropertyAccessExpression(skipOuter(ts, node.expression)) && (skipOuter(ts, node.expression) as ts.PropertyAccessExpression).name.text === 'equals');
  ctx.report({
    node,
    message: `${shown} compares a secret in time that depends on how many leading bytes match: use \`crypto.timingSafeEqual\` after checking the lengths.`,
    related,
    fixes: () => {
      const fix = fixable ? timingSafeFix(ctx, node, left, right, negated) : undefined;
      return fix ? [fix] : [];
    },
  });
}

/**
 * `supplied` comes from the caller (request data, a parameter, a digest of input) and `stored`
 * is a configured or stored secret (an env var, a record's token, an HMAC digest); one of the
 * two must be a credential by name or by being an HMAC digest.
 */
function secretAgainstSupplied(supplied: Operand, stored: Operand): boolean {
  if (!supplied.external || stored.request) return false;
  // Two values from the same caller (two parameters) are not a check against a secret.
  if (stored.external && !stored.digest) return false;
  return stored.secret || (supplied.secret && stored.digest);
}
