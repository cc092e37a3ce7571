// Names that say "an attacker must not guess this": tokens, passwords, secrets, nonces,
// one-time and reset codes, session ids. Read by the last word (what the name holds) and
// the word before it, so `resetCode` and `sessionId` count and `tokenExpiresAt`,
// `requestId` and `colorCode` do not.
import { nameWords } from './secret-names';

const UNGUESSABLE_NOUNS = new Set(['token', 'password', 'passwd', 'pwd', 'passphrase', 'passcode', 'secret', 'nonce', 'otp', 'totp', 'salt', 'pin', 'sid', 'jti', 'jwtid', 'csrf', 'xsrf', 'apikey', 'session', 'sessionid']);
const KEY_QUALIFIERS = new Set(['api', 'secret', 'private', 'access', 'signing', 'encryption', 'session', 'hmac', 'license']);
const ID_QUALIFIERS = new Set(['session', 'sess', 'jwt', 'token', 'reset', 'invite', 'invitation', 'csrf', 'nonce', 'auth', 'login']);
const CODE_QUALIFIERS = new Set(['reset', 'verification', 'verify', 'otp', 'confirmation', 'confirm', 'invite', 'invitation', 'activation', 'auth', 'authorization', 'recovery', 'login', 'mfa', '2fa', 'sms', 'security', 'pin', 'access', 'backup', 'unlock', 'magic']);

/** True when a value bound to this name must be unpredictable. */
export function isUnguessableName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (!last) return false;
  const before = words[words.length - 2];
  if (UNGUESSABLE_NOUNS.has(last)) return true;
  if (last === 'key') return !!before && KEY_QUALIFIERS.has(before);
  if (last === 'id' || last === 'uuid' || last === 'identifier') return !!before && ID_QUALIFIERS.has(before);
  if (last === 'code') return !!before && CODE_QUALIFIERS.has(before);
  if (last === 'link' || last === 'url') return !!before && (before === 'magic' || before === 'reset');
  return false;
}
