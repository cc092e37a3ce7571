// tls-verification-disabled: certificate verification turned off — `rejectUnauthorized:
// false` given to a library's TLS options (node tls/https, axios's https.Agent, got,
// undici, pg/mysql2 `ssl`), `checkServerIdentity` that accepts everything, or
// `NODE_TLS_REJECT_UNAUTHORIZED = '0'` — so any machine in the path can read and alter
// the traffic. The fix removes the setting; it is not safe: a server with a self-signed
// or private-CA certificate is then refused until its CA is given with `ca`.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { packageOfFile, skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { removePropertyEdit, removeStatementEdit } from '../shared/tls-fix';
import { acceptsEveryIdentity, isConstantFalse, siteLabel, tlsOptionSite } from '../shared/tls-options';
import { constantNumber, constantString } from '../shared/constant-values';

const ENV_SWITCH = 'NODE_TLS_REJECT_UNAUTHORIZED';

export const rule: Rule = {
  id: 'tls-verification-disabled',
  category: 'security',
  cwe: [295],
  defaultSeverity: 'error',
  description: 'TLS certificate verification is turned off (`rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED = 0`).',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node)) checkOption(ctx, node);
      else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) checkEnvAssignment(ctx, node);
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function checkOption(ctx: RuleContext, prop: ts.PropertyAssignment | ts.MethodDeclaration): void {
  const { ts } = ctx;
  if (!ts.isObjectLiteralExpression(prop.parent) || !(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) return;
  const name = prop.name.text;
  const disables =
    name === 'rejectUnauthorized' ? ts.isPropertyAssignment(prop) && isConstantFalse(ctx, prop.initializer)
    : name === 'checkServerIdentity' ? acceptsEveryIdentity(ctx, ts.isPropertyAssignment(prop) ? skipOuter(ts, prop.initializer) : prop)
    : false;
  if (!disables) return;
  const site = tlsOptionSite(ctx, prop, name);
  if (!site) return;
  const shown = name === 'rejectUnauthorized' ? 'rejectUnauthorized: false' : `${name} that accepts every certificate`;
  const where = site.consumer ? `\`${siteLabel(ctx, site)}\`` : `these \`${site.library}\` options`;
  ctx.report({
    node: prop,
    message:
      name === 'rejectUnauthorized'
        ? `\`${shown}\` in ${where} turns off certificate verification: remove it, and trust a private CA with the \`ca\` option instead.`
        : `\`checkServerIdentity\` in ${where} accepts any certificate's host name: remove it so the default check applies.`,
    fixes: () => [removalFix(`Remove \`${name}\``, removePropertyEdit(ctx, prop))],
  });
}

/** `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'` turns verification off for every connection of the process. */
function checkEnvAssignment(ctx: RuleContext, assignment: ts.BinaryExpression): void {
  const { ts } = ctx;
  const target = skipOuter(ts, assignment.left);
  const key = ts.isPropertyAccessExpression(target) ? target.name.text : ts.isElementAccessExpression(target) ? constantString(ctx, target.argumentExpression) : undefined;
  if (key !== ENV_SWITCH || !isProcessEnv(ctx, (target as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression)) return;
  const value = skipOuter(ts, assignment.right);
  if (constantString(ctx, value) !== '0' && constantNumber(ctx, value) !== 0) return;
  const statement = ts.isExpressionStatement(assignment.parent) ? assignment.parent : undefined;
  ctx.report({
    node: assignment,
    message: `\`${ENV_SWITCH} = '0'\` turns off certificate verification for every TLS connection of the process: remove it, and give a private CA with \`NODE_EXTRA_CA_CERTS\` or the \`ca\` option.`,
    fixes: () => (statement ? [removalFix(`Remove the \`${ENV_SWITCH}\` assignment`, removeStatementEdit(ctx, statement))] : []),
  });
}

/** `process.env` of Node's global `process` (not a local variable named `process`). */
function isProcessEnv(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (!ts.isPropertyAccessExpression(e) || e.name.text !== 'env') return false;
  const base = skipOuter(ts, e.expression);
  if (!ts.isIdentifier(base) || base.text !== 'process') return false;
  const decl = ctx.checker.getSymbolAtLocation(base)?.declarations?.[0];
  // Without @types/node `process` has no declaration: still Node's global.
  return !decl || packageOfFile(decl.getSourceFile().fileName) === 'node';
}

function removalFix(title: string, edit: ReturnType<typeof removePropertyEdit>): Fix {
  // Not safe: a server whose certificate only passed because verification was off is now refused.
  return { title, isPreferred: true, safe: false, edits: [edit] };
}
