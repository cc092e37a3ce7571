// The rule registry: every rule of the catalogue, in one list. `npm run new-rule`
// adds a line here; the catalogue test fails when a rule file is missing from it.
import type { Rule } from './api';

export const ALL_RULES: readonly Rule[] = [
];
