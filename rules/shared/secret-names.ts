// Names that say "this holds a credential": the last word of the name is the thing it
// holds (`dbPassword`, `jwtSecret`, `API_KEY`, `x-api-key`), so `passwordField`,
// `tokenUrl` and `secretName` describe something else. A name is only a signal: the
// rule also needs a random-looking value before it speaks.

/** camelCase, PascalCase, snake_case, SCREAMING_SNAKE and kebab-case split into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const SECRET_NOUNS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'credential', 'credentials', 'apikey', 'privatekey', 'secretkey', 'accesskey']);

/** Words that make a trailing `key` a credential (`apiKey`, `privateKey`), unlike `cacheKey`. */
const KEY_QUALIFIERS = new Set(['api', 'private', 'secret', 'access', 'signing', 'encryption', 'encrypt', 'master', 'hmac', 'jwt', 'auth', 'license', 'client']);

/** True when the name's head word is a credential: password, secret, token, api key, private key… */
export function isSecretLikeName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (!last) return false;
  if (SECRET_NOUNS.has(last)) return true;
  return last === 'key' && words.length > 1 && KEY_QUALIFIERS.has(words[words.length - 2]);
}

const GENERIC_OWNER_WORDS = new Set(['config', 'configuration', 'options', 'opts', 'settings', 'params', 'env', 'credentials', 'creds', 'this']);

/**
 * `jwtSecret` → `JWT_SECRET`, `x-api-key` → `X_API_KEY`: the environment variable for a
 * binding. A bare `password` takes its owner's name (`pool` → `POOL_PASSWORD`,
 * `reportingOptions` → `REPORTING_PASSWORD`) so two credentials do not share a variable.
 */
export function envNameFor(name: string, owner?: string): string {
  const words = nameWords(name);
  const ownerWords = words.length === 1 && owner ? nameWords(owner) : [];
  while (ownerWords.length > 0 && GENERIC_OWNER_WORDS.has(ownerWords[ownerWords.length - 1])) ownerWords.pop();
  return [...ownerWords, ...words].join('_').toUpperCase();
}
