// One rule for tests that need a tool installed by scripts/install-e2e-tools.sh
// (code-server, Chromium, Neovim): without it they skip with one line saying what is
// missing, except in CI (.ci/run sets HARDENING_E2E_REQUIRED=1 after installing the
// tools), where a missing tool is a failure rather than a hidden skip.
export function skipWhenMissing(ctx: Mocha.Context, missing: string | undefined): void {
  if (!missing) return;
  if (process.env.HARDENING_E2E_REQUIRED === '1') throw new Error(`${missing}: scripts/install-e2e-tools.sh did not run or failed`);
  process.stdout.write(`      (skipped: ${missing}; run scripts/install-e2e-tools.sh)\n`);
  ctx.skip();
}
