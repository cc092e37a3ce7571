// What the outputs (LSP, SARIF, docs) need to know about a rule, including the
// engine's own meta-rules (suppression problems, skipped files) that have no check().
import type { Category, Rule, Severity } from './api';

export interface RuleDescriptor {
  readonly id: string;
  readonly category: Category | 'meta';
  readonly cwe: readonly number[];
  readonly defaultSeverity: Severity;
  readonly description: string;
  readonly fixable: boolean;
}

export type { Rule };
