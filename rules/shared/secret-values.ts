// What a committed secret looks like as a value: the published formats of provider
// tokens (each with the environment variable it conventionally lives in) and the test
// for a random-looking string. These read the *value* of a string literal, which is
// data, never the source text around it. Placeholders ("changeme", "xxxx", AWS's
// documented example key) are not secrets: a rule that cries wolf on them gets muted.

export interface TokenFormat {
  /** How the message names it: "a GitHub token". */
  readonly label: string;
  /** The variable this kind of secret conventionally lives in. */
  readonly envName: string;
  /** Matches the token inside a longer value; group 1 (when present) is its random part. */
  readonly pattern: RegExp;
}

export interface TokenMatch {
  readonly format: TokenFormat;
  /** Offset and length of the token inside the value. */
  readonly index: number;
  readonly length: number;
}

const FORMATS: readonly TokenFormat[] = [
  { label: 'an AWS access key id', envName: 'AWS_ACCESS_KEY_ID', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)([0-9A-Z]{16})\b/ },
  { label: 'a GitHub token', envName: 'GITHUB_TOKEN', pattern: /\bgh[pousr]_([A-Za-z0-9]{36})\b/ },
  { label: 'a GitHub token', envName: 'GITHUB_TOKEN', pattern: /\bgithub_pat_([A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/ },
  // Publishable keys (pk_live_) are meant for browsers; test-mode keys reach no real money.
  { label: 'a Stripe live secret key', envName: 'STRIPE_SECRET_KEY', pattern: /\b[sr]k_live_([0-9A-Za-z]{24,})\b/ },
  { label: 'a Slack token', envName: 'SLACK_TOKEN', pattern: /\bxox[abposr]-((?:[0-9A-Za-z]+-){2,}[0-9A-Za-z]+)\b/ },
  { label: 'a Slack webhook URL', envName: 'SLACK_WEBHOOK_URL', pattern: /https:\/\/hooks\.slack\.com\/services\/(T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,})/ },
  { label: 'a Google API key', envName: 'GOOGLE_API_KEY', pattern: /\bAIza([0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/ },
  { label: 'an npm token', envName: 'NPM_TOKEN', pattern: /\bnpm_([A-Za-z0-9]{36})\b/ },
  { label: 'a SendGrid API key', envName: 'SENDGRID_API_KEY', pattern: /\bSG\.([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/ },
  // A private key block with a body: the bare header is what code *checks for*, not a key.
  {
    label: 'a private key',
    envName: 'PRIVATE_KEY',
    pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----\s*((?:[A-Za-z0-9+/=]\s*){64,})(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----)?/,
  },
];

/** The first known provider token in a string value, unless it is a placeholder. */
export function findTokenFormat(value: string): TokenMatch | undefined {
  for (const format of FORMATS) {
    const m = format.pattern.exec(value);
    if (!m) continue;
    // A key body is long enough to hold a "1234" by chance: judge its start.
    const randomPart = (m[1] ?? m[0]).replace(/\s+/g, '').slice(0, 64);
    if (isPlaceholder(randomPart) || shannonEntropy(randomPart) < 3) continue;
    return { format, index: m.index, length: m[0].length };
  }
  return undefined;
}

/** A URL carrying a password (`postgres://app:s3cr…@db:5432/app`) when that password is random-looking. */
export function urlWithPassword(value: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@/\s]+)@[^\s]+$/i.exec(value.trim());
  return !!m && looksRandom(decodeSafely(m[1]), 8);
}

/**
 * A value that reads as generated rather than written: long enough, no spaces, varied
 * characters, not a sentence, identifier, path, URL, pattern or hash, and no placeholder.
 */
export function looksRandom(value: string, minLength = 10): boolean {
  if (value.length < minLength || value.length > 4096 || /\s/.test(value)) return false;
  if (isPlaceholder(value) || isWordLike(value) || isStructuredNonSecret(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  const entropy = shannonEntropy(value);
  // Letters and digits mixed, or a long string of many distinct symbols (base64 without digits).
  const mixed = /[A-Za-z]/.test(value) && /[0-9]/.test(value);
  return classes >= 2 && entropy >= 3 && (mixed || (value.length >= 20 && entropy >= 3.7));
}

const PLACEHOLDER_WORDS = /change[-_ ]?me|replace|your[-_]?|example|placeholder|dummy|sample|fake|mock|test|todo|redacted|secret|password|insert|xxx|\*\*\*|\.\.\.|<[^>]*>|\{\{/i;

/** "changeme", "<your-key>", "xxxx", "sk_test_…", "0000": text that stands in for a secret. */
export function isPlaceholder(value: string): boolean {
  if (value.trim() === '') return true;
  if (PLACEHOLDER_WORDS.test(value)) return true;
  // A run of one character ("aaaa", "0000") or an ascending run ("123456", "abcdef").
  return /(.)\1{3,}/.test(value) || /0123|1234|2345|3456|4567|5678|6789|abcdefg/i.test(value);
}

/**
 * Words joined by separators or camelCase, each optionally ending in a short number:
 * `access_token_v2`, `auth.password.label`, `X-CSRF-Token`, `Password123`. Generated
 * secrets mix case and digits inside one run.
 */
function isWordLike(value: string): boolean {
  return value.split(/[-_.:/]/).every((segment) => segment === '' || /^(?:[A-Z]?[a-z]+|[A-Z]+)*[0-9]{0,4}$/.test(segment));
}

/** Paths, URLs, e-mail addresses, MIME types, regular expressions, password hashes, dates. */
function isStructuredNonSecret(value: string): boolean {
  if (/^(?:\.{0,2}\/|[a-z][a-z0-9+.-]*:\/\/)/i.test(value)) return true;
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(value)) return true;
  // bcrypt / argon2 / scrypt hashes are what a password is compared with, not the password.
  if (/^\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2[-\w]*)\$/.test(value)) return true;
  const regexSigns = [/\(\?[=!:<]/, /\\[dwsbDWS]/, /\[[^\]]+\]/, /\.\*/, /\{\d+,\d*\}/, /^\^/, /\$$/].filter((r) => r.test(value)).length;
  return regexSigns >= 2;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Bits per character of the string's own character distribution. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
