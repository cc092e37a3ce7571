// hardcoded-secret: credentials committed in the code — a provider token in a known
// format anywhere in a string, or a random-looking string bound to a secret-like name
// (`jwtSecret`, `password:` of a connection config, a `secretOrPrivateKey` argument),
// fallback defaults of environment reads included. The fix reads the value from the
// environment instead.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { isTestModule } from '../shared/module-imports';
import { secretSiteOf, type SecretLiteral, type SecretSite } from '../shared/secret-bindings';
import { readFromEnvFix } from '../shared/secret-env-fix';
import { envNameFor, isSecretLikeName } from '../shared/secret-names';
import { findTokenFormat, looksRandom, urlWithPassword } from '../shared/secret-values';

export const rule: Rule = {
  id: 'hardcoded-secret',
  category: 'security',
  cwe: [798],
  defaultSeverity: 'error',
  description: 'A credential (provider token, private key, random-looking password or secret) is written in the source code.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    const { ts } = ctx;
    if (isTestModule(ctx) || ctx.sourceFile.isDeclarationFile) return;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) checkLiteral(ctx, node);
      else ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function checkLiteral(ctx: RuleContext, literal: SecretLiteral): void {
  const value = literal.text;
  if (value.length < 8) return;
  const token = findTokenFormat(value);
  if (token) {
    const site = secretSiteOf(ctx, literal);
    if (!site) return;
    const envName = site.fallbackEnv ?? (site.name && isSecretLikeName(site.name) ? envNameFor(site.name, site.owner) : token.format.envName);
    ctx.report({
      node: literal,
      message: `${capitalise(token.format.label)} is hardcoded in ${where(site, value)}: revoke it and read it from \`process.env.${envName}\`.`,
      fixes: () => [readFromEnvFix(ctx, site, envName, token)],
    });
    return;
  }
  if (urlWithPassword(value)) {
    const site = secretSiteOf(ctx, literal);
    if (!site) return;
    const envName = site.fallbackEnv ?? (site.name && site.kind !== 'argument' ? envNameFor(site.name, site.owner) : 'DATABASE_URL');
    ctx.report({
      node: literal,
      message: `The URL in ${where(site, value)} carries a hardcoded password: read it from \`process.env.${envName}\`.`,
      fixes: () => [readFromEnvFix(ctx, site, envName)],
    });
    return;
  }
  if (!looksRandom(value)) return;
  const site = secretSiteOf(ctx, literal);
  if (!site?.name || !isSecretLikeName(site.name)) return;
  const envName = site.fallbackEnv ?? envNameFor(site.name, site.owner);
  const subject = describeBinding(site);
  const message = site.fallback
    ? `${subject} falls back to a hardcoded secret when the environment lacks it: drop the default and read it from \`process.env.${envName}\` only.`
    : `${subject} is a hardcoded secret: read it from \`process.env.${envName}\`.`;
  ctx.report({ node: literal, message, fixes: () => [readFromEnvFix(ctx, site, envName)] });
}

function describeBinding(site: SecretSite): string {
  switch (site.kind) {
    case 'argument':
      return `The \`${site.name}\` argument`;
    case 'comparison':
      return `The value compared with \`${site.name}\``;
    case 'return':
      return `The value returned by \`${site.name}\``;
    default:
      return `\`${site.name}\``;
  }
}

/** Names the place without printing the secret: the binding, or the literal's first characters. */
function where(site: SecretSite, value: string): string {
  if (site.name) return site.kind === 'argument' ? `the \`${site.name}\` argument` : `\`${site.name}\``;
  return `\`${value.slice(0, 8)}…\``;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
