// What the server writes to the client's output channel. Rule failures and project
// problems are logged once per distinct cause, so a rule that throws on every
// keystroke does not flood the log while the server keeps serving.
import type { RemoteConsole } from 'vscode-languageserver/node';
import type { FileAnalysis } from '../engine/finding';
import type { ProjectLoadProblem } from '../engine/ts-project';

export class ServerLog {
  private readonly seen = new Set<string>();

  constructor(private readonly console: RemoteConsole) {}

  info(message: string): void {
    this.console.info(message);
  }

  warn(message: string): void {
    this.console.warn(message);
  }

  error(message: string): void {
    this.console.error(message);
  }

  private once(key: string, write: () => void): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    write();
  }

  /** Rule failures and budget overruns of one analysis. */
  analysis(analysis: FileAnalysis): void {
    for (const failure of analysis.ruleFailures) {
      this.once(`rule:${failure.ruleId}:${analysis.fileName}`, () =>
        this.console.error(
          `Rule ${failure.ruleId} failed on ${analysis.fileName}: ${failure.message}${failure.stack ? `\n${failure.stack}` : ''}`,
        ),
      );
    }
    if (analysis.budgetSkipped.length > 0) {
      this.once(`budget:${analysis.fileName}:${analysis.budgetSkipped.join(',')}`, () =>
        this.console.warn(`Time budget ran out on ${analysis.fileName}; not run: ${analysis.budgetSkipped.join(', ')}`),
      );
    }
  }

  projectProblems(problems: readonly ProjectLoadProblem[]): void {
    for (const p of problems) this.once(`project:${p.file}:${p.message}`, () => this.console.warn(`Project ${p.file}: ${p.message}`));
  }

  /** Lets a cause that was fixed and came back be logged again. */
  forget(): void {
    this.seen.clear();
  }
}
