// unhandled-token-expiry: browser code sends a bearer token (axios instance, axios call or
// fetch) and nothing in that client reacts to a 401 — no response interceptor, no status
// check — so when the token expires every request fails and the user is stuck in a broken,
// apparently logged-in app instead of being refreshed or sent to sign in.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { isTestModule } from '../shared/module-imports';
import { isBrowserModule } from './unhandled-token-expiry/browser';
import { findBearerSites, type BearerSite, type ClientKey } from './unhandled-token-expiry/bearer-sites';
import { checksUnauthorized, hasResponseInterceptor } from './unhandled-token-expiry/handling';

export const rule: Rule = {
  id: 'unhandled-token-expiry',
  category: 'auth',
  cwe: [613, 287],
  defaultSeverity: 'warning',
  description: 'Browser code sends a bearer token but nothing in that client handles a 401 when the token expires.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const sites = findBearerSites(ctx);
    if (!sites.length || !isBrowserModule(ctx)) return;
    const firstPerClient = new Map<ClientKey, BearerSite>();
    for (const s of sites) if (!firstPerClient.has(s.key)) firstPerClient.set(s.key, s);
    for (const [key, site] of firstPerClient) {
      const files = clientFiles(ctx, key);
      if (hasResponseInterceptor(ctx, key, files) || files.some((sf) => checksUnauthorized(ctx, sf))) continue;
      ctx.report({ node: site.node, message: messageFor(key, site) });
    }
  },
};

/** This module, and the module that creates the axios instance when it is another one. */
function clientFiles(ctx: RuleContext, key: ClientKey): ts.SourceFile[] {
  const files = [ctx.sourceFile];
  if (typeof key !== 'string') {
    const home = key.valueDeclaration?.getSourceFile();
    if (home && home !== ctx.sourceFile) files.push(home);
  }
  return files;
}

function messageFor(key: ClientKey, site: BearerSite): string {
  if (key === 'fetch') {
    return '`fetch` sends a bearer token here but no response in this module is checked for 401: when the token expires, refresh it or sign the user out on `res.status === 401` in one fetch wrapper.';
  }
  return `\`${site.label}\` sends a bearer token but has no response interceptor for 401: add \`${site.label}.interceptors.response.use(r => r, onError)\` that refreshes the token or signs the user out when \`error.response?.status === 401\`.`;
}
