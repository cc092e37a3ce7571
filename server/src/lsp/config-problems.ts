// `.hardening.json` problems as the user sees them: diagnostics on the config file
// (cleared when fixed) and one error message per change, not per re-check. The
// engine uses the defaults meanwhile.
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver/node';
import type { ConfigProblem } from '../engine/config';
import { configProblemDiagnostics } from './diagnostics';
import type { ServerLog } from './log';

export class ConfigProblemReporter {
  private readonly uris = new Set<string>();
  private lastKey = '[]';

  constructor(
    private readonly connection: Connection,
    private readonly log: ServerLog,
  ) {}

  /** Publishes `problems` (all of them, for every config file), clearing files that have none any more. */
  update(problems: readonly ConfigProblem[], uriOf: (file: string) => string, readText: (file: string) => string | undefined): void {
    const byFile = new Map<string, ConfigProblem[]>();
    for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
    const uris = new Set<string>();
    for (const [file, fileProblems] of byFile) {
      const uri = uriOf(file);
      uris.add(uri);
      this.connection.sendDiagnostics({ uri, diagnostics: configProblemDiagnostics(fileProblems, readText(file)) });
    }
    for (const uri of this.uris) if (!uris.has(uri)) this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.uris.clear();
    for (const uri of uris) this.uris.add(uri);

    const key = JSON.stringify(problems.map((p) => [p.file, p.message]));
    if (key !== this.lastKey && problems.length > 0) this.tell(problems);
    this.lastKey = key;
  }

  private tell(problems: readonly ConfigProblem[]): void {
    const first = problems[0].message;
    const more = problems.length > 1 ? ` (${problems.length - 1} more in the Problems panel)` : '';
    const fallback = /defaults/.test(first) ? '' : ' The defaults are used until it is fixed.';
    // A plain notification (window/showMessage): there is nothing for the user to choose.
    void this.connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Error,
      message: `Production Hardening: ${first}${more}${fallback}`,
    });
    for (const p of problems) this.log.warn(`${p.file}: ${p.message}`);
  }
}
