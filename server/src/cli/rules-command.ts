// `harden rules`: the catalogue as a table or as JSON (id, category, default
// severity, CWE, fixable, description), including the engine's meta-rules.
import { createColors } from 'picocolors';
import { catalogue } from './catalogue';
import { EXIT_OK } from './exit-codes';
import type { Io } from './io';

export interface RulesCommandOptions {
  readonly format: 'text' | 'json';
  readonly color: boolean;
}

export function rulesCommand(options: RulesCommandOptions, io: Io): number {
  const rules = catalogue();
  if (options.format === 'json') {
    const rows = rules.map((r) => ({
      id: r.id,
      category: r.category,
      defaultSeverity: r.defaultSeverity,
      cwe: r.cwe.map((n) => `CWE-${n}`),
      fixable: r.fixable,
      needsTypes: r.needsTypes,
      description: r.description,
      docsUrl: r.docsUrl,
    }));
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT_OK;
  }
  const c = createColors(options.color && io.stdoutColor);
  const header = ['RULE', 'CATEGORY', 'SEVERITY', 'CWE', 'FIX', 'DESCRIPTION'];
  const rows = rules.map((r) => [r.id, r.category, r.defaultSeverity, r.cwe.map((n) => `CWE-${n}`).join(',') || '-', r.fixable ? 'yes' : 'no', r.description]);
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]) : cell)).join('  ').trimEnd();
  io.out(`${c.bold(line(header))}\n${rows.map(line).join('\n')}\n\n${rules.length} rules\n`);
  return EXIT_OK;
}
