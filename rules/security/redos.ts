// redos: a regular expression that untrusted data can make run for seconds — a pattern
// the input chooses (`new RegExp(req.query.q)`), or a constant pattern with
// catastrophic backtracking applied to input (`/^(\w+\s?)+$/.test(req.body.name)`) —
// directly or through project helpers, found by the taint engine.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { conditionImplies, relatedSteps, type Guard, type Sink, type SinkSpec, type TaintedSink, type TransformKind, taintRule, throughHelper } from '../taint';
import { redosSinksAt, type RedosSinkData } from './redos/sinks';

/** Inputs checked to be at most this long cannot backtrack long enough to matter. */
const SHORT_INPUT = 256;

const spec: SinkSpec = {
  id: 'redos',
  sinksAt: redosSinksAt,
  // Escaping makes a chosen pattern a literal; it changes nothing for input matched by a bad pattern.
  isSanitizer: (kind: TransformKind, _node: ts.Node, sink: Sink) => kind === 'regex-escape' && (sink.data as RedosSinkData).form === 'pattern',
  isGuard: (ctx, guard, sink) => (sink.data as RedosSinkData).form === 'backtracking' && isLengthLimit(ctx, guard),
};

export const rule: Rule = taintRule(
  {
    id: 'redos',
    category: 'security',
    cwe: [1333],
    defaultSeverity: 'warning',
    description: 'Untrusted input chooses a regular expression, or is matched by one with catastrophic backtracking.',
    fixable: false,
  },
  spec,
  report,
);

function report(ctx: RuleContext, found: TaintedSink): void {
  const data = found.sink.data as RedosSinkData;
  const via = throughHelper(found);
  const what = `\`${found.source.label}\``;
  const message =
    data.form === 'pattern'
      ? `${what} becomes the regular expression of \`${found.sink.label}\`${via}: escape it (\`_.escapeRegExp\`, escape-string-regexp) or match it as plain text with \`includes\`.`
      : `${what} is matched by \`${data.regex}\`${via}, whose ${data.ambiguity === 'nested' ? 'repetition nested in a repetition' : 'repeated overlapping alternatives'} can backtrack exponentially: rewrite the pattern so each character can be matched only one way, or limit the input's length first.`;
  ctx.report({ node: found.reportNode, message, related: relatedSteps(found) });
}

/** `if (x.length > 200) return;` / `x.length <= 200 && RE.test(x)`: the input is short. */
function isLengthLimit(ctx: RuleContext, guard: Guard): boolean {
  const { ts } = ctx;
  return conditionImplies(ctx, guard.condition, guard.holds, (leaf, holds) => {
    if (!ts.isBinaryExpression(leaf)) return false;
    const op = leaf.operatorToken.kind;
    const isLength = (e: ts.Expression) => {
      const x = skipOuter(ts, e);
      return ts.isPropertyAccessExpression(x) && x.name.text === 'length' && x.expression.getText() === guard.ref.getText();
    };
    const limit = (e: ts.Expression) => {
      const x = skipOuter(ts, e);
      return ts.isNumericLiteral(x) && Number(x.text) <= SHORT_INPUT;
    };
    // Normalise to `length OP limit`.
    let less: boolean;
    if (isLength(leaf.left) && limit(leaf.right)) less = op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken;
    else if (limit(leaf.left) && isLength(leaf.right)) less = op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken;
    else return false;
    const greater = [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken].includes(op) && !less;
    return holds ? less : greater;
  });
}
