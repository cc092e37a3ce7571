// The rule registry: every rule of the catalogue, in one list. `npm run new-rule`
// adds a line here; the catalogue test fails when a rule file is missing from it.
import type { Rule } from './api';
import { rule as missingServerTimeouts } from './performance/missing-server-timeouts';
import { rule as upstreamErrorPassthrough } from './error-handling/upstream-error-passthrough';
import { rule as piiToThirdParty } from './compliance/pii-to-third-party';
import { rule as unloggedErrorResponse } from './observability/unlogged-error-response';
import { rule as missingErrorTracking } from './observability/missing-error-tracking';
import { rule as consoleInsteadOfLogger } from './observability/console-instead-of-logger';
import { rule as trackingWithoutConsent } from './compliance/tracking-without-consent';
import { rule as sessionWithoutExpiry } from './auth/session-without-expiry';
import { rule as unhandledTokenExpiry } from './auth/unhandled-token-expiry';
import { rule as doubleSubmit } from './edge-cases/double-submit';
import { rule as floatMoney } from './edge-cases/float-money';
import { rule as unclampedPageSize } from './performance/unclamped-page-size';
import { rule as uncheckedNumericInput } from './edge-cases/unchecked-numeric-input';
import { rule as unboundedBodyRead } from './performance/unbounded-body-read';
import { rule as unboundedCache } from './performance/unbounded-cache';
import { rule as perRequestDbClient } from './performance/per-request-db-client';
import { rule as expensiveRouteWithoutStrictLimit } from './security/expensive-route-without-strict-limit';
import { rule as missingRateLimit } from './security/missing-rate-limit';
import { rule as floatingPromise } from './error-handling/floating-promise';
import { rule as unforwardedAsyncError } from './error-handling/unforwarded-async-error';
import { rule as missingHealthCheck } from './observability/missing-health-check';
import { rule as missingProcessHandlers } from './observability/missing-process-handlers';
import { rule as missingErrorMiddleware } from './error-handling/missing-error-middleware';
import { rule as throwNonError } from './error-handling/throw-non-error';
import { rule as secretInUrl } from './compliance/secret-in-url';
import { rule as sensitiveDataInLogs } from './compliance/sensitive-data-in-logs';
import { rule as paymentWithoutIdempotency } from './edge-cases/payment-without-idempotency';
import { rule as uploadWithoutSizeLimit } from './edge-cases/upload-without-size-limit';
import { rule as unboundedQuery } from './performance/unbounded-query';
import { rule as nPlusOneQuery } from './performance/n-plus-one-query';
import { rule as unguardedJsonParse } from './error-handling/unguarded-json-parse';
import { rule as syncIoOnRequestPath } from './performance/sync-io-on-request-path';
import { rule as errorDetailsExposure } from './security/error-details-exposure';
import { rule as logInjection } from './security/log-injection';
import { rule as headerInjection } from './security/header-injection';
import { rule as unsafeDeserialization } from './security/unsafe-deserialization';
import { rule as redos } from './security/redos';
import { rule as codeInjection } from './security/code-injection';
import { rule as prototypePollution } from './security/prototype-pollution';
import { rule as massAssignment } from './security/mass-assignment';
import { rule as nosqlInjection } from './security/nosql-injection';
import { rule as ssrf } from './security/ssrf';
import { rule as pathTraversal } from './security/path-traversal';
import { rule as openRedirect } from './security/open-redirect';
import { rule as xss } from './security/xss';
import { rule as commandInjection } from './security/command-injection';
import { rule as routeMissingAuth } from './auth/route-missing-auth';
import { rule as plaintextPasswordStorage } from './auth/plaintext-password-storage';
import { rule as cleartextTransport } from './security/cleartext-transport';
import { rule as timingUnsafeComparison } from './security/timing-unsafe-comparison';
import { rule as loginWithoutRateLimit } from './auth/login-without-rate-limit';
import { rule as missingCsrfProtection } from './security/missing-csrf-protection';
import { rule as missingSecurityHeaders } from './security/missing-security-headers';
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
  missingServerTimeouts,
  upstreamErrorPassthrough,
  piiToThirdParty,
  unloggedErrorResponse,
  missingErrorTracking,
  consoleInsteadOfLogger,
  trackingWithoutConsent,
  sessionWithoutExpiry,
  unhandledTokenExpiry,
  doubleSubmit,
  floatMoney,
  unclampedPageSize,
  uncheckedNumericInput,
  unboundedBodyRead,
  unboundedCache,
  perRequestDbClient,
  expensiveRouteWithoutStrictLimit,
  missingRateLimit,
  floatingPromise,
  unforwardedAsyncError,
  missingHealthCheck,
  missingProcessHandlers,
  missingErrorMiddleware,
  throwNonError,
  secretInUrl,
  sensitiveDataInLogs,
  paymentWithoutIdempotency,
  uploadWithoutSizeLimit,
  unboundedQuery,
  nPlusOneQuery,
  unguardedJsonParse,
  syncIoOnRequestPath,
  errorDetailsExposure,
  logInjection,
  headerInjection,
  unsafeDeserialization,
  redos,
  codeInjection,
  prototypePollution,
  massAssignment,
  nosqlInjection,
  ssrf,
  pathTraversal,
  openRedirect,
  xss,
  commandInjection,
  routeMissingAuth,
  plaintextPasswordStorage,
  cleartextTransport,
  timingUnsafeComparison,
  loginWithoutRateLimit,
  missingCsrfProtection,
  missingSecurityHeaders,
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
