// The choices of the command-line options, kept free of imports so that parsing
// the command line (and --help, --version) never loads the engine.
export type ReportFormat = 'text' | 'json' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif'];

export type FailOn = 'error' | 'warning' | 'info' | 'none';
export const FAIL_ON_CHOICES: readonly FailOn[] = ['error', 'warning', 'info', 'none'];
