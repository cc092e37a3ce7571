// Which algorithms and parameters of node:crypto and bcrypt are too weak. The values a
// call is given are read with constant-values.ts, so `const ALGORITHM = 'md5'` counts like 'md5'.

/** Digests with practical collision attacks (MD5, SHA-1) or worse. */
const BROKEN_DIGESTS = new Set(['md2', 'md4', 'md5', 'sha1', 'sha-1', 'rsa-md5', 'rsa-sha1', 'md5-sha1', 'ssl3-md5', 'ssl3-sha1']);

export function isBrokenDigest(algorithm: string): boolean {
  return BROKEN_DIGESTS.has(algorithm.toLowerCase());
}

/** Why a cipher name is weak: a 56/64-bit-block or broken cipher, or ECB mode; undefined when sound. */
export function cipherWeakness(algorithm: string): 'weak-cipher' | 'ecb' | undefined {
  const a = algorithm.toLowerCase();
  // DES, 3DES (des-ede*, des3), RC2, RC4, Blowfish, CAST5, IDEA: broken or 64-bit blocks (Sweet32).
  if (/^(?:des|rc2|rc4|bf|blowfish|cast|cast5|idea)(?:$|[-_0-9])/.test(a) || a === 'des3' || a.startsWith('des-ede')) return 'weak-cipher';
  if (/(?:^|-)ecb$/.test(a)) return 'ecb';
  return undefined;
}

/** OWASP's floor for PBKDF2 is far higher (600,000 with SHA-256); below this the rule is sure. */
export const MIN_PBKDF2_ITERATIONS = 100_000;
/** bcrypt's own default; each step below halves an attacker's work. */
export const MIN_BCRYPT_COST = 10;
