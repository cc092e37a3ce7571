// The `harden` command line: commander wiring for `audit`, `rules` and `lsp`, and
// the single place where errors become exit codes (0 clean, 1 findings, 2 usage).
// Each command's module is required only when it runs: --help and --version must
// not pay for loading TypeScript.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { AuditCommandOptions } from './audit-command';
import { EXIT_OK, EXIT_USAGE, UsageError } from './exit-codes';
import { processIo, type Io } from './io';
import { toolVersion } from './manifest';
import { FAIL_ON_CHOICES, REPORT_FORMATS } from './options';

const EXAMPLES = `
Examples:
  $ harden audit                                  audit the current folder, fail on errors
  $ harden audit src --fail-on warning            fail on warnings too
  $ harden audit --format sarif --output harden.sarif
                                                  SARIF 2.1.0 for GitHub code scanning
  $ harden audit --format html --output hardening-report.html
                                                  the Hardening report with its endpoint matrix
  $ harden audit . --rule sql-injection swallowed-error
                                                  only these rules
  $ harden audit --format json | jq '.summary'
  $ harden rules                                  list the rules
  $ harden lsp --stdio                            language server for any editor

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or configuration error.
`;

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more.');
  return n;
}

function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('harden')
    .description('Production Hardening: find and fix the unhardened parts of a TypeScript/JavaScript app.')
    .version(toolVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(`harden: ${s.replace(/^error:\s*/, '')}`),
    });

  program
    .command('audit')
    .description('audit folders or files and report what is not production-ready')
    .argument('[paths...]', 'folders or files to audit (default: the current folder)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(REPORT_FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file (the summary still goes to stderr)')
    .addOption(new Option('--fail-on <severity>', 'exit with 1 when a finding is at least this severe').choices(FAIL_ON_CHOICES).default('error'))
    .option('-r, --rule <id...>', 'run only these rules (repeat, or separate with commas; give paths before it)')
    .option('-q, --quiet', 'report errors only')
    .option('--max-warnings <n>', 'exit with 1 when there are more warnings than this', nonNegativeInteger)
    .option('--no-color', 'no colours in the text report')
    .addHelpText(
      'after',
      `
A path is audited inside its workspace folder: the nearest directory at or above it
with a .hardening.json or .git (so that folder's configuration applies).`,
    )
    .action((paths: string[], options: AuditCommandOptions) => {
      const { auditCommand } = require('./audit-command') as typeof import('./audit-command');
      setExitCode(auditCommand(paths, options, io));
    });

  program
    .command('rules')
    .description('list the rules: id, category, default severity, CWE, fixable, description')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-color', 'no colours')
    .action((options: { format: 'text' | 'json'; color: boolean }) => {
      const { rulesCommand } = require('./rules-command') as typeof import('./rules-command');
      setExitCode(rulesCommand(options, io));
    });

  program
    .command('lsp')
    .description('run the language server (for Neovim, Helix, Zed and other LSP clients)')
    .option('--stdio', 'talk LSP over stdin/stdout')
    .action(async (options: { stdio?: boolean }) => {
      const { lspCommand } = require('./lsp-command') as typeof import('./lsp-command');
      setExitCode(await lspCommand(options));
    });

  return program;
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => (exitCode = code));
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (e instanceof UsageError) {
      io.err(`harden: ${e.message}\n`);
      for (const line of e.details) io.err(`harden: ${line}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
