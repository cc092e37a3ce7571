// Hand-made findings and endpoints for the report tests: the model and the renderers
// are pinned down here independently of what the rules and the inventory find today.
import type { Category, Severity } from '../../rules/api';
import { ALL_RULES } from '../../rules/index';
import { CONTROL_IDS, type ControlCell, type ControlId, type Endpoint } from '../../rules/inventory/types';
import type { Finding, Range } from '../../server/src/engine/finding';
import type { ReportInput } from '../../server/src/report/model';

export const ROOT = '/work/app';
export const USERS = `${ROOT}/src/routes/users.ts`;
export const PAYMENTS = `${ROOT}/src/services/payments.ts`;

export function range(line: number, character: number, endLine = line, endCharacter = character + 10): Range {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

let fingerprints = 0;

export function finding(over: Partial<Finding> & Pick<Finding, 'ruleId' | 'range'>): Finding {
  const n = ++fingerprints;
  return {
    // As the runner does: the rule's own concerns unless the finding says otherwise.
    concerns: ALL_RULES.find((r) => r.id === over.ruleId)?.concerns ?? [],
    category: 'security',
    severity: 'warning',
    message: `message ${n}`,
    fileName: USERS,
    start: over.range.start.line * 100 + over.range.start.character,
    end: over.range.end.line * 100 + over.range.end.character,
    cwe: [],
    docsUrl: 'file:///ext/rules/security/sql-injection.md',
    related: [],
    fingerprint: `fp${String(n).padStart(4, '0')}`,
    fixes: () => [],
    ...over,
  };
}

export function cells(over: Partial<Record<ControlId, ControlCell>> = {}): Record<ControlId, ControlCell> {
  const out = {} as Record<ControlId, ControlCell>;
  for (const id of CONTROL_IDS) out[id] = over[id] ?? { state: 'warn', note: `no ${id} found` };
  return out;
}

/** `GET /users/:id` in users.ts, handler on lines 10–20, registered on line 10. */
export function endpoint(over: Partial<Endpoint> = {}): Endpoint {
  return {
    framework: 'express',
    method: 'GET',
    path: '/users/:id',
    registration: { fileName: USERS, range: range(10, 0, 20, 2) },
    handler: { fileName: USERS, range: range(10, 30, 20, 1) },
    controls: cells({ authentication: { state: 'ok', note: 'requireAuth runs first', location: { fileName: USERS, range: range(3, 0) } } }),
    ...over,
  };
}

export function input(over: Partial<ReportInput> = {}): ReportInput {
  return {
    baseDir: ROOT,
    roots: [ROOT],
    files: [USERS, PAYMENTS],
    findings: [],
    endpoints: [],
    skipped: [],
    checkedCategories: ['security', 'validation', 'error-handling', 'observability', 'performance'] as Category[],
    generatedAt: '2025-01-02T03:04:05.000Z',
    ...over,
  };
}

export function ofSeverity(severity: Severity, category: Category, fileName: string, line: number, ruleId = 'sql-injection'): Finding {
  return finding({ ruleId, severity, category, fileName, range: range(line, 2) });
}
