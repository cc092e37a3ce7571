// Expiry set after configuration: `req.session.cookie.maxAge = …` in a login route
// ("remember me") or `req.sessionOptions.maxAge = …` with cookie-session give each session
// a lifetime the middleware's options do not show. Any such write in the project's own code
// of the same package counts, so the rule stays silent rather than contradict it. One scan
// per program and package.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';

const EXPIRY_KEYS = new Set(['maxAge', 'expires']);
const cache = new WeakMap<ts.Program, Map<string, boolean>>();

/** True when code of the file's package assigns `….cookie.maxAge|expires` or `….sessionOptions.maxAge|expires`. */
export function assignsExpiryLater(ctx: RuleContext): boolean {
  const program = ctx.program;
  const pkg = ctx.project.packageJson(ctx.fileName)?.path ?? '';
  let byPackage = cache.get(program);
  if (!byPackage) cache.set(program, (byPackage = new Map()));
  let answer = byPackage.get(pkg);
  if (answer === undefined) {
    answer = program
      .getSourceFiles()
      .some((sf) => !sf.isDeclarationFile && !sf.fileName.includes('/node_modules/') && (ctx.project.packageJson(sf.fileName)?.path ?? '') === pkg && fileAssignsExpiry(ctx, sf));
    byPackage.set(pkg, answer);
  }
  return answer;
}

function fileAssignsExpiry(ctx: RuleContext, sf: ts.SourceFile): boolean {
  const { ts } = ctx;
  // Most files never mention either key: skip their walk.
  if (!sf.text.includes('maxAge') && !sf.text.includes('expires')) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && isExpiryTarget(ctx, node.left)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function isExpiryTarget(ctx: RuleContext, left: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isPropertyAccessExpression(left) || !EXPIRY_KEYS.has(left.name.text)) return false;
  const holder = left.expression;
  return ts.isPropertyAccessExpression(holder) && (holder.name.text === 'cookie' || holder.name.text === 'sessionOptions');
}
