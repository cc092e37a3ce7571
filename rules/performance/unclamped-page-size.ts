// unclamped-page-size: a list query bounded by a page size the client chooses with no
// maximum (`take: Number(req.query.limit)`), so `?limit=1000000` is an unbounded query.
// unbounded-query reports list queries with no bound at all; this one, the bound that is
// not one. The fix caps it: `Math.min(<size> || 20, 100)`, keeping the code's default.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { listQueryOf } from '../inventory/list-queries';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { shortText } from '../shared/source-text';
import { boundExpressionsOf, clientSizeOf, sqlLimitValueOf } from '../shared/unclamped-page-size-bounds';
import { numericConversionOf } from '../shared/unchecked-numeric-input-values';

const DEFAULT_SIZE = 20;
const MAX_SIZE = 100;

export const rule: Rule = {
  id: 'unclamped-page-size',
  category: 'performance',
  cwe: [770],
  defaultSeverity: 'warning',
  description: "A list query's page size comes from the request with no maximum, so a client can ask for every row.",
  needsTypes: true,
  fixable: true,
  concerns: ['pagination'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const reported = new Set<ts.Node>();
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const list = listQueryOf(ctx, node);
        if (list) for (const bound of boundExpressionsOf(ctx, list)) checkBound(ctx, bound, list.label, reported);
        else {
          const value = sqlLimitValueOf(ctx, node);
          if (value) checkBound(ctx, value, shortText(ctx, node.expression), reported);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function checkBound(ctx: RuleContext, bound: ts.Expression, query: string, reported: Set<ts.Node>): void {
  if (reported.has(bound)) return;
  const size = clientSizeOf(ctx, bound);
  if (!size) return;
  reported.add(bound);
  const param = size.label.split('.').pop() ?? size.label;
  ctx.report({
    node: bound,
    message: `The page size of \`${query}\` comes from \`${size.label}\` with no maximum, so \`?${param}=1000000\` loads that many rows: cap it with \`Math.min(…, ${MAX_SIZE})\`.`,
    related: [
      { node: size.node, message: `\`${size.label}\` comes from the request`, step: true },
      { node: bound, message: `it bounds \`${query}\` here`, step: true },
    ],
    fixes: () => [capFix(ctx, bound)],
  });
}

/** Cap where the size is computed: the `const` holding it when there is one, else at the query. */
function capFix(ctx: RuleContext, bound: ts.Expression): Fix {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const target = declaredSize(ctx, bound) ?? bound;
  const e = skipOuter(ts, target);
  let inner: string;
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    // `?? 20` keeps NaN; `|| 20` also replaces it, with the code's own default.
    inner = `${e.left.getText(sf)} || ${e.right.getText(sf)}`;
  } else {
    const text = e.getText(sf);
    inner = `${isNumeric(ctx, e) || numericConversionOf(ctx, e) ? text : `Number(${text})`} || ${DEFAULT_SIZE}`;
  }
  const capped = `Math.min(${inner}, ${MAX_SIZE})`;
  const shorthand = ts.isShorthandPropertyAssignment(target.parent) && target.parent.name === target;
  const newText = shorthand ? `${target.getText(sf)}: ${capped}` : capped;
  return {
    title: `Cap the page size at ${MAX_SIZE}`,
    isPreferred: true,
    safe: false,
    edits: [{ fileName: ctx.fileName, start: target.getStart(sf), end: target.end, newText }],
  };
}

/** `take: limit` with `const limit = Number(req.query.limit) || 50` in the same function: that initializer. */
function declaredSize(ctx: RuleContext, bound: ts.Expression): ts.Expression | undefined {
  const { ts } = ctx;
  let e = skipOuter(ts, bound);
  let found: ts.Expression | undefined;
  for (let i = 0; i < 3 && ts.isIdentifier(e); i++) {
    const symbol = ts.isShorthandPropertyAssignment(e.parent) && e.parent.name === e ? ctx.checker.getShorthandAssignmentValueSymbol(e.parent) : ctx.checker.getSymbolAtLocation(e);
    const decl = symbol?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) || decl.getSourceFile() !== ctx.sourceFile) break;
    found = decl.initializer;
    e = skipOuter(ts, decl.initializer);
  }
  return found;
}

function isNumeric(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(e);
  return !!(type.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.Any));
}
