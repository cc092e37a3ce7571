// The rule registry: every rule of the catalogue, in one list. `npm run new-rule`
// adds a line here; the catalogue test fails when a rule file is missing from it.
import type { Rule } from './api';
import { rule as unindexedQuery } from './performance/unindexed-query';
import { rule as swallowedError } from './observability/swallowed-error';
import { rule as sqlInjection } from './security/sql-injection';
import { rule as unguardedExternalCall } from './error-handling/unguarded-external-call';
import { rule as missingInputValidation } from './validation/missing-input-validation';

export const ALL_RULES: readonly Rule[] = [
  missingInputValidation,
  swallowedError,
  sqlInjection,
  unguardedExternalCall,
  unindexedQuery,
];
