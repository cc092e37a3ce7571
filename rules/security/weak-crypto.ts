// weak-crypto: node:crypto and bcrypt used with broken or too-cheap parameters — a fast
// digest for passwords, MD5/SHA-1 for tokens and signatures, DES/3DES/RC4/Blowfish or
// ECB ciphers, the deprecated `createCipher`, weak PBKDF2 and a low bcrypt cost. Digests
// used as cache keys, ETags or checksums are left alone. No fix: changing an algorithm
// makes every stored hash and ciphertext unreadable, which needs a migration plan.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { resolveCall } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { shortText } from '../shared/source-text';
import { cipherWeakness, isBrokenDigest, MIN_BCRYPT_COST, MIN_PBKDF2_ITERATIONS } from '../shared/weak-crypto-algorithms';
import { hashUseOf, purposeOfDigest } from '../shared/weak-crypto-hash-use';
import { purposeOfInput, strongerPurpose, type DataPurpose } from '../shared/weak-crypto-names';
import { forEachCall } from '../shared/walk';
import { constantNumber, constantString } from '../shared/constant-values';

const CRYPTO_CALLS = new Set(['createHash', 'createCipheriv', 'createCipher', 'createDecipher', 'pbkdf2', 'pbkdf2Sync']);
const BCRYPT_MODULES = new Set(['bcrypt', 'bcryptjs']);
/** Where each bcrypt function takes its cost. */
const BCRYPT_COST_ARGUMENT: Record<string, number> = { hash: 1, hashSync: 1, genSalt: 0, genSaltSync: 0 };

export const rule: Rule = {
  id: 'weak-crypto',
  category: 'security',
  cwe: [327, 328, 916],
  defaultSeverity: 'warning',
  description: 'A fast or broken hash for passwords or tokens, a weak or ECB cipher, weak PBKDF2 or a low bcrypt cost.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    forEachCall(ctx, (call) => checkCall(ctx, call));
  },
};

function checkCall(ctx: RuleContext, call: ts.CallExpression): void {
  const target = resolveCall(ctx, call);
  if (!target?.module) return;
  if (target.module === 'crypto' && CRYPTO_CALLS.has(target.name)) {
    if (target.name === 'createHash') checkHash(ctx, call);
    else if (target.name === 'createCipheriv') checkCipher(ctx, call);
    else if (target.name === 'createCipher' || target.name === 'createDecipher') reportDeprecatedCipher(ctx, call, target.name);
    else checkPbkdf2(ctx, call, target.name);
  } else if (BCRYPT_MODULES.has(target.module) && target.name in BCRYPT_COST_ARGUMENT) {
    checkBcryptCost(ctx, call, target.name);
  }
}

/** `createHash(alg)`: any fast digest is wrong for a password; MD5/SHA-1 are wrong for tokens and signatures. */
function checkHash(ctx: RuleContext, call: ts.CallExpression): void {
  const algorithm = constantString(ctx, call.arguments[0]);
  if (algorithm === undefined) return;
  const use = hashUseOf(ctx, call);
  let passwordInput: ts.Expression | undefined;
  let secretInput: ts.Expression | undefined;
  let purpose: DataPurpose | undefined;
  for (const input of use.inputs) {
    const p = purposeOfInput(ctx, input);
    if (p === 'password') passwordInput ??= input;
    if (p === 'secret') secretInput ??= input;
    purpose = strongerPurpose(purpose, p);
  }
  for (const digest of use.digests) purpose = strongerPurpose(purpose, purposeOfDigest(ctx, digest));
  const shown = `createHash('${algorithm}')`;
  if (purpose === 'password') {
    const what = passwordInput ? `the password \`${shortText(ctx, passwordInput)}\`` : 'a password';
    ctx.report({
      node: call,
      message: `\`${shown}\` hashes ${what} with a fast digest that is cheap to brute-force: use bcrypt, argon2 or \`crypto.scrypt\` with a per-user salt.`,
    });
  } else if (purpose === 'secret' && isBrokenDigest(algorithm)) {
    const what = secretInput ? `\`${shortText(ctx, secretInput)}\`` : 'a token or signature';
    ctx.report({
      node: call,
      message: `\`${shown}\` digests ${what} with a broken algorithm: use \`createHash('sha256')\`, or \`createHmac('sha256', key)\` for a signature.`,
    });
  }
}

function checkCipher(ctx: RuleContext, call: ts.CallExpression): void {
  const algorithm = constantString(ctx, call.arguments[0]);
  const weakness = algorithm && cipherWeakness(algorithm);
  if (!algorithm || !weakness) return;
  const shown = `createCipheriv('${algorithm}', …)`;
  ctx.report({
    node: call,
    message:
      weakness === 'ecb'
        ? `\`${shown}\` uses ECB mode, which encrypts equal blocks to equal ciphertext: use an authenticated mode such as \`aes-256-gcm\` with a random IV.`
        : `\`${shown}\` uses a broken or 64-bit-block cipher: use \`aes-256-gcm\` with a random IV.`,
  });
}

function reportDeprecatedCipher(ctx: RuleContext, call: ts.CallExpression, name: string): void {
  ctx.report({
    node: call,
    message: `\`${name}\` derives its key with one round of MD5 and no salt (and is gone from Node 22): use \`${name}iv\` with a key from \`crypto.scrypt\` and a random IV.`,
  });
}

/** pbkdf2(password, salt, iterations, keylen, digest[, callback]). */
function checkPbkdf2(ctx: RuleContext, call: ts.CallExpression, name: string): void {
  const iterations = constantNumber(ctx, call.arguments[2]);
  const digest = constantString(ctx, call.arguments[4]);
  const problems: string[] = [];
  if (iterations !== undefined && iterations < MIN_PBKDF2_ITERATIONS) problems.push(`only ${iterations} iterations`);
  if (digest !== undefined && isBrokenDigest(digest)) problems.push(`the ${digest} digest`);
  if (problems.length === 0) return;
  const advice: string[] = [];
  if (iterations !== undefined && iterations < MIN_PBKDF2_ITERATIONS) advice.push(`at least ${MIN_PBKDF2_ITERATIONS.toLocaleString('en-US')} iterations (OWASP advises 600,000)`);
  if (digest !== undefined && isBrokenDigest(digest)) advice.push('`sha256` or `sha512`');
  ctx.report({
    node: call,
    message: `\`${name}\` runs with ${problems.join(' and ')}: use ${advice.join(' and ')}, or switch to \`crypto.scrypt\`.`,
  });
}

function checkBcryptCost(ctx: RuleContext, call: ts.CallExpression, name: string): void {
  const cost = constantNumber(ctx, call.arguments[BCRYPT_COST_ARGUMENT[name]]);
  if (cost === undefined || cost >= MIN_BCRYPT_COST) return;
  ctx.report({
    node: call,
    message: `\`${shortText(ctx, call.expression)}\` uses a cost of ${cost}: use a cost of at least ${MIN_BCRYPT_COST} (12 is common); existing hashes keep verifying.`,
  });
}
