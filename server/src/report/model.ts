// The Hardening report as plain JSON: what the webview, the exported HTML and the
// Markdown render, built from the findings and endpoints of an audit. No I/O and
// no heavy imports, so the VS Code client can bundle the renderers that read it.
import { CATEGORIES, type Category, type Severity } from '../../../rules/api';
import { CONTROL_IDS, type ControlCell, type ControlId, type Endpoint, type SourceLocation } from '../../../rules/inventory/types';
import type { Finding, Range } from '../engine/finding';

/** The version of this shape; it changes only when a field changes meaning. */
export const REPORT_DATA_VERSION = 1;

/** The meta rule for files the engine did not analyse: listed as skipped, never counted as a finding. */
const SKIPPED_FILE_RULE = 'skipped-file';

export type Verdict = 'ready' | 'needs-work' | 'blocking' | 'not-checked';

/**
 * The production-readiness verdict of a category, from its findings:
 * - blocking: at least one finding of severity error;
 * - needs work: warnings, but no error;
 * - ready: no finding above info;
 * - not checked: no rule of the category ran, so nothing can be said.
 * The overall verdict is the worst one among the categories that were checked.
 */
export const VERDICT_RULE =
  'Blocking: at least one error. Needs work: warnings but no error. Ready: nothing above info. ' +
  'Not checked: no rule of the category ran. The overall verdict is the worst of the checked categories.';

export const VERDICT_LABELS: Record<Verdict, string> = {
  ready: 'Ready',
  'needs-work': 'Needs work',
  blocking: 'Blocking',
  'not-checked': 'Not checked',
};

/** Top files are ranked by this weight, so one error outranks a handful of infos. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { error: 10, warning: 3, info: 1 };
const TOP_FILES = 10;

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export interface ReportFinding {
  readonly ruleId: string;
  readonly category: Category | 'meta';
  readonly severity: Severity;
  readonly message: string;
  readonly fileName: string;
  readonly range: Range;
  readonly fingerprint: string;
  readonly docsUrl: string;
  /** The data's path (steps) or evidence, e.g. the route a handler is registered on. */
  readonly related: readonly { readonly fileName: string; readonly range: Range; readonly message: string; readonly step: boolean }[];
  /**
   * The endpoint protections the finding says are missing: the matrix columns it turns red.
   * Rules declare them (`Rule.concerns`, or per finding); rules about no endpoint
   * protection (sql-injection, unindexed-query) have none and stay in the findings list.
   */
  readonly concerns: readonly ControlId[];
}

export interface CategorySummary {
  readonly category: Category;
  readonly counts: SeverityCounts;
  readonly total: number;
  readonly verdict: Verdict;
}

export interface TopFile {
  readonly fileName: string;
  readonly counts: SeverityCounts;
  readonly total: number;
  /** Σ SEVERITY_WEIGHT over the file's findings. */
  readonly weight: number;
}

export interface MatrixRow {
  /** `GET /users/:id`: the row's identity in the rendered table. */
  readonly key: string;
  readonly framework: Endpoint['framework'];
  readonly method: string;
  readonly path: string;
  readonly registration: SourceLocation;
  readonly handler: SourceLocation;
  readonly controls: Readonly<Record<ControlId, ControlCell>>;
}

export interface ReportData {
  readonly version: number;
  readonly generatedAt?: string;
  readonly toolVersion?: string;
  /** Absolute directory the renderers show paths relative to. */
  readonly baseDir: string;
  readonly roots: readonly string[];
  /** Files the audit covered (analysed or skipped). */
  readonly filesAudited: number;
  readonly verdict: Verdict;
  readonly verdictRule: string;
  readonly totals: {
    readonly findings: number;
    readonly bySeverity: SeverityCounts;
    /** Only categories with findings; `meta` for suppression-comment problems. */
    readonly byCategory: Readonly<Partial<Record<Category | 'meta', number>>>;
  };
  /** Every category of the catalogue, in catalogue order. */
  readonly categories: readonly CategorySummary[];
  readonly topFiles: readonly TopFile[];
  readonly skipped: readonly { readonly fileName: string; readonly reason: string }[];
  readonly matrix: { readonly controls: readonly ControlId[]; readonly rows: readonly MatrixRow[] };
  /** Sorted by file, then position. */
  readonly findings: readonly ReportFinding[];
}

export interface ReportInput {
  readonly baseDir: string;
  readonly roots: readonly string[];
  /** Files the audit covered (analysed or skipped). */
  readonly files: readonly string[];
  readonly findings: readonly Finding[];
  readonly endpoints: readonly Endpoint[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  /** Categories with at least one rule that ran; the others are "not checked". */
  readonly checkedCategories: readonly Category[];
  readonly generatedAt?: string;
  readonly toolVersion?: string;
}

export function buildReport(input: ReportInput): ReportData {
  const findings = input.findings.filter((f) => f.ruleId !== SKIPPED_FILE_RULE).map(plainFinding).sort(byPosition);
  const checked = new Set(input.checkedCategories);
  const categories = CATEGORIES.map((category) => summarise(category, findings, checked.has(category)));
  return {
    version: REPORT_DATA_VERSION,
    ...(input.generatedAt ? { generatedAt: input.generatedAt } : {}),
    ...(input.toolVersion ? { toolVersion: input.toolVersion } : {}),
    baseDir: input.baseDir,
    roots: [...input.roots],
    filesAudited: input.files.length,
    verdict: overallVerdict(categories),
    verdictRule: VERDICT_RULE,
    totals: { findings: findings.length, bySeverity: countSeverities(findings), byCategory: countCategories(findings) },
    categories,
    topFiles: topFiles(findings),
    skipped: input.skipped.map((s) => ({ fileName: s.file, reason: s.reason })).sort((a, b) => compare(a.fileName, b.fileName)),
    matrix: { controls: [...CONTROL_IDS], rows: matrixRows(input.endpoints, findings) },
    findings,
  };
}

/** Findings by category, in catalogue order (suppression-comment problems last). */
export function findingsByCategory(findings: readonly ReportFinding[]): [Category | 'meta', ReportFinding[]][] {
  const order: readonly (Category | 'meta')[] = [...CATEGORIES, 'meta'];
  return order.map((c): [Category | 'meta', ReportFinding[]] => [c, findings.filter((f) => f.category === c)]).filter(([, list]) => list.length > 0);
}

export function endpointKey(e: Pick<Endpoint, 'method' | 'path'>): string {
  return `${e.method} ${e.path}`;
}

/** Drops what does not cross the wire (the fixes closure, which also pins the program in memory). */
function plainFinding(f: Finding): ReportFinding {
  return {
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    message: f.message,
    fileName: f.fileName,
    range: f.range,
    fingerprint: f.fingerprint,
    docsUrl: f.docsUrl,
    related: f.related.map((r) => ({ fileName: r.fileName, range: r.range, message: r.message, step: r.step })),
    concerns: f.concerns ?? [],
  };
}

function countSeverities(findings: readonly ReportFinding[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function countCategories(findings: readonly ReportFinding[]): Partial<Record<Category | 'meta', number>> {
  const out: Partial<Record<Category | 'meta', number>> = {};
  for (const f of findings) out[f.category] = (out[f.category] ?? 0) + 1;
  return out;
}

function summarise(category: Category, findings: readonly ReportFinding[], checked: boolean): CategorySummary {
  const counts = countSeverities(findings.filter((f) => f.category === category));
  return { category, counts, total: counts.error + counts.warning + counts.info, verdict: verdictOf(counts, checked) };
}

function verdictOf(counts: SeverityCounts, checked: boolean): Verdict {
  if (counts.error > 0) return 'blocking';
  if (counts.warning > 0) return 'needs-work';
  // A category can have findings while "not checked" only if the caller's list is wrong; findings win.
  return checked || counts.info > 0 ? 'ready' : 'not-checked';
}

const VERDICT_ORDER: readonly Verdict[] = ['blocking', 'needs-work', 'ready'];

function overallVerdict(categories: readonly CategorySummary[]): Verdict {
  for (const v of VERDICT_ORDER) if (categories.some((c) => c.verdict === v)) return v;
  return 'not-checked';
}

function groupBy<T>(items: readonly T[], keysOf: (item: T) => readonly string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keysOf(item))) {
      const list = out.get(key);
      if (list) list.push(item);
      else out.set(key, [item]);
    }
  }
  return out;
}

function topFiles(findings: readonly ReportFinding[]): TopFile[] {
  const byFile = groupBy(findings, (f) => [f.fileName]);
  return [...byFile]
    .map(([fileName, list]): TopFile => {
      const counts = countSeverities(list);
      const weight = counts.error * SEVERITY_WEIGHT.error + counts.warning * SEVERITY_WEIGHT.warning + counts.info * SEVERITY_WEIGHT.info;
      return { fileName, counts, total: list.length, weight };
    })
    .sort((a, b) => b.weight - a.weight || b.total - a.total || compare(a.fileName, b.fileName))
    .slice(0, TOP_FILES);
}

function matrixRows(endpoints: readonly Endpoint[], findings: readonly ReportFinding[]): MatrixRow[] {
  // Only findings in a file the endpoint's row can point into are looked at: its handler's,
  // its cells', or (evidence) its registration's.
  const byFile = groupBy(findings, (f) => [f.fileName, ...f.related.map((r) => r.fileName)]);
  const order = new Map(findings.map((f, i) => [f, i]));
  return endpoints
    .map((e) => {
      const files = new Set([e.handler.fileName, e.registration.fileName, ...CONTROL_IDS.flatMap((c) => e.controls[c].location?.fileName ?? [])]);
      const candidates = [...new Set([...files].flatMap((file) => byFile.get(file) ?? []))];
      // In report order, so a cell points at its first finding.
      return matrixRow(e, candidates.sort((a, b) => order.get(a)! - order.get(b)!));
    })
    .sort(byRoute);
}

/** The inventory's row, with each control a finding concerns turned to `fail` and pointing at it. */
function matrixRow(endpoint: Endpoint, findings: readonly ReportFinding[]): MatrixRow {
  const hits = new Map<ControlId, ReportFinding[]>();
  for (const f of findings) {
    for (const control of columnsFor(f, endpoint)) {
      const list = hits.get(control);
      if (list) list.push(f);
      else hits.set(control, [f]);
    }
  }
  const controls = {} as Record<ControlId, ControlCell>;
  for (const id of CONTROL_IDS) {
    const found = hits.get(id);
    controls[id] = found ? failCell(found) : endpoint.controls[id];
  }
  return {
    key: endpointKey(endpoint),
    framework: endpoint.framework,
    method: endpoint.method,
    path: endpoint.path,
    registration: endpoint.registration,
    handler: endpoint.handler,
    controls,
  };
}

/**
 * The columns `f` fails on this endpoint's row: those of its rule when it lies inside the
 * handler; when it lies elsewhere, those where the inventory itself points at its code (a
 * service call the handler makes), or where its evidence names this endpoint.
 */
function columnsFor(f: ReportFinding, endpoint: Endpoint): readonly ControlId[] {
  const own = f.concerns;
  if (isInside(f, endpoint.handler)) return own;
  const pointedAt = own.filter((c) => {
    const location = endpoint.controls[c].location;
    return location !== undefined && isInside(f, location);
  });
  // "Its failure reaches `handler` unhandled", with the handler's registration as evidence:
  // the failure lands in this endpoint, so its error handling fails.
  const named = own.includes('errorHandling') && f.related.some((r) => !r.step && (isInside(r, endpoint.handler) || isInside(r, endpoint.registration)));
  return named ? [...new Set([...pointedAt, 'errorHandling' as const])] : pointedAt;
}

/** Where `at` starts lies within `where` (same file). */
function isInside(at: { readonly fileName: string; readonly range: Range }, where: SourceLocation): boolean {
  return at.fileName === where.fileName && !before(at.range.start, where.range.start) && !before(where.range.end, at.range.start);
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function failCell(found: readonly ReportFinding[]): ControlCell {
  const first = found[0];
  const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
  return {
    state: 'fail',
    note: `${first.message}${more}`,
    location: { fileName: first.fileName, range: first.range },
    fingerprints: found.map((f) => f.fingerprint),
  };
}

function byPosition(a: ReportFinding, b: ReportFinding): number {
  return (
    compare(a.fileName, b.fileName) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    compare(a.ruleId, b.ruleId)
  );
}

function byRoute(a: MatrixRow, b: MatrixRow): number {
  return compare(a.path, b.path) || compare(a.method, b.method) || compare(a.handler.fileName, b.handler.fileName) || a.handler.range.start.line - b.handler.range.start.line;
}

/** Byte order, not locale order: reports must not change with the machine's language. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
