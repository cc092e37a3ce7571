// cleartext-transport: a request, client base URL or socket goes to a constant `http://` /
// `ws://` URL on a public host, so whatever it carries (tokens, personal data) crosses the
// network readable and alterable. Loopback, private networks, single-label service names
// and test files are left alone. The fix (not safe: the server must speak TLS) switches the
// literal to `https://` / `wss://`.
import type { ts } from 'ts-morph';
import type { Fix, RelatedInput, Rule, RuleContext } from '../api';
import { isLocalOrPrivateHost, isNamespaceHost } from '../shared/cleartext-hosts';
import { plainHttpHostSite, urlSites, type UrlSite } from '../shared/cleartext-sites';
import { cleartextUrlOf, type ConstantUrl } from '../shared/cleartext-urls';
import { isTestModule } from '../shared/module-imports';

export const rule: Rule = {
  id: 'cleartext-transport',
  category: 'security',
  cwe: [319],
  defaultSeverity: 'warning',
  description: 'An outgoing request, client base URL or WebSocket uses a constant `http://` / `ws://` URL to a public host.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const reported = new Set<ts.Node>();
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        for (const site of urlSites(ctx, node)) {
          if (!reported.has(site.url)) checkSite(ctx, site, reported);
        }
        if (ts.isCallExpression(node)) checkHostOptions(ctx, node);
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function checkSite(ctx: RuleContext, site: UrlSite, reported: Set<ts.Node>): void {
  const url = cleartextUrlOf(ctx, site.url);
  if (!url || isLocalOrPrivateHost(url.hostname) || isNamespaceHost(url.hostname)) return;
  reported.add(site.url);
  const secure = url.scheme === 'ws' ? 'wss://' : 'https://';
  ctx.report({
    node: site.url,
    message: messageOf(site, url, secure),
    related: relatedOf(ctx, site, url),
    fixes: () => (site.plainHttpModule ? [] : schemeFix(url, secure)),
  });
}

function messageOf(site: UrlSite, url: ConstantUrl, secure: string): string {
  const what = site.baseOption ? `\`${site.label}\` sets \`${site.baseOption}\` to \`${url.origin}\`, so every request of this client travels` : url.scheme === 'ws' ? `\`${site.label}\` connects to \`${url.origin}\`` : `\`${site.label}\` sends its request to \`${url.origin}\``;
  const fallback = url.envFallback ? ` when \`${url.envFallback}\` is unset` : '';
  if (site.plainHttpModule) return `\`${site.label}\` sends its request to \`${url.origin}\`${fallback} in cleartext: use \`https.${site.label.split('.').pop()}\` with an \`https://\` URL.`;
  return `${what}${fallback} in cleartext: use \`${secure}\` so credentials and data cannot be read or changed on the way.`;
}

/** Where the URL is written, when that is outside the reported expression (a const, a config module). */
function relatedOf(ctx: RuleContext, site: UrlSite, url: ConstantUrl): RelatedInput[] {
  const file = url.literal.getSourceFile();
  if (file === ctx.sourceFile && url.literal.pos >= site.url.pos && url.literal.end <= site.url.end) return [];
  return [{ fileName: file.fileName, node: url.literal, message: `\`${url.origin}\` is written here`, step: true }];
}

/** `http://` → `https://` (`ws://` → `wss://`) where the literal writes it. */
function schemeFix(url: ConstantUrl, secure: string): Fix[] {
  const literal = url.literal;
  const file = literal.getSourceFile();
  const start = literal.getStart(file) + 1; // after the opening quote or backtick
  const written = file.text.slice(start, start + url.scheme.length + 3);
  if (written.toLowerCase() !== `${url.scheme}://`) return [];
  return [{ title: `Use \`${secure}\``, isPreferred: true, safe: false, edits: [{ fileName: file.fileName, start, end: start + written.length, newText: secure }] }];
}

/** node `http.request({ hostname: 'api.example.com' })`: plain HTTP to a public host, no URL to fix. */
function checkHostOptions(ctx: RuleContext, call: ts.CallExpression): void {
  const site = plainHttpHostSite(ctx, call);
  if (!site || isLocalOrPrivateHost(site.hostname) || isNamespaceHost(site.hostname)) return;
  ctx.report({
    node: site.option,
    message: `\`${site.label}\` sends its request to \`${site.hostname}\` over plain HTTP: use \`https.${site.label.split('.').pop()}\` so credentials and data cannot be read or changed on the way.`,
  });
}
