// The rule registry: every rule of the catalogue, in one list. `npm run new-rule`
// adds a line here; the catalogue test fails when a rule file is missing from it.
import type { Rule } from './api';
import { rule as permissiveCors } from './security/permissive-cors';
import { rule as insecureCookie } from './security/insecure-cookie';
import { rule as tlsVerificationDisabled } from './security/tls-verification-disabled';
import { rule as jwtMisuse } from './auth/jwt-misuse';
import { rule as insecureRandomness } from './security/insecure-randomness';
import { rule as weakCrypto } from './security/weak-crypto';
import { rule as hardcodedSecret } from './security/hardcoded-secret';
import { rule as unindexedQuery } from './performance/unindexed-query';
import { rule as swallowedError } from './observability/swallowed-error';
import { rule as sqlInjection } from './security/sql-injection';
import { rule as unguardedExternalCall } from './error-handling/unguarded-external-call';
import { rule as missingInputValidation } from './validation/missing-input-validation';

export const ALL_RULES: readonly Rule[] = [
  permissiveCors,
  insecureCookie,
  tlsVerificationDisabled,
  jwtMisuse,
  insecureRandomness,
  weakCrypto,
  hardcodedSecret,
  missingInputValidation,
  swallowedError,
  sqlInjection,
  unguardedExternalCall,
  unindexedQuery,
];
