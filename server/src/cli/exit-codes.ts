// The exit codes CI scripts rely on, and the error that carries a usage problem
// up to main() so it becomes one clear line on stderr and exit code 2.
export const EXIT_OK = 0;
/** Findings at or above --fail-on (or over --max-warnings). */
export const EXIT_FINDINGS = 1;
/** Bad command line or configuration: nothing was audited. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  /** Extra lines (one per problem) printed after the first. */
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}
