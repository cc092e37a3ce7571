// Severity order, shared by --fail-on, --quiet and the summaries.
import type { Severity } from '../../../rules/api';
import type { FailOn } from './options';


const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export function rank(severity: Severity): number {
  return RANK[severity];
}

/** True when a finding of `severity` makes the run fail under `failOn`. */
export function fails(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && rank(severity) >= rank(failOn);
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export function countBySeverity(items: readonly { readonly severity: Severity }[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const i of items) counts[i.severity]++;
  return counts;
}
