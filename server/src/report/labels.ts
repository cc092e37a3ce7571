// Words the HTML and Markdown reports share, so both read the same.
import type { Category } from '../../../rules/api';
import type { ControlId, ControlState } from '../../../rules/inventory/types';
import { relativePath } from '../cli/formats/paths';
import type { Range } from '../engine/finding';

export const CATEGORY_LABELS: Record<Category | 'meta', string> = {
  security: 'Security',
  auth: 'Authentication & authorisation',
  validation: 'Input validation',
  'error-handling': 'Error handling',
  performance: 'Performance',
  'edge-cases': 'Edge cases',
  observability: 'Observability',
  compliance: 'Compliance',
  meta: 'Suppression comments',
};

export const CONTROL_LABELS: Record<ControlId, string> = {
  authentication: 'Authentication',
  validation: 'Input validation',
  rateLimiting: 'Rate limiting',
  errorHandling: 'Error handling',
  pagination: 'Pagination',
  timeouts: 'Timeouts (outgoing calls)',
};

export const STATE_LABELS: Record<ControlState, string> = {
  ok: 'in place',
  warn: 'check',
  fail: 'missing',
  na: 'not applicable',
};

/** `src/routes/users.ts:12:5` (1-based, as editors show it). */
export function locationText(baseDir: string, fileName: string, range: Range): string {
  return `${relativePath(baseDir, fileName)}:${range.start.line + 1}:${range.start.character + 1}`;
}
