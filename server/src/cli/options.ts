// The choices of the command-line options, kept free of imports so that parsing
// the command line (and --help, --version) never loads the engine.
export type ReportFormat = 'text' | 'json' | 'sarif' | 'html' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'html', 'markdown'];
/** The formats that include the endpoint matrix, so the audit collects the endpoint inventory for them. */
export const INVENTORY_FORMATS: ReadonlySet<ReportFormat> = new Set<ReportFormat>(['json', 'html', 'markdown']);

export type FailOn = 'error' | 'warning' | 'info' | 'none';
export const FAIL_ON_CHOICES: readonly FailOn[] = ['error', 'warning', 'info', 'none'];
