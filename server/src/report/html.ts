// The Hardening report as one self-contained HTML page, for the VS Code webview and
// for export. Strict CSP (one nonce per render, no inline handlers, no style
// attributes), theme colours with browser fallbacks, charts as inline SVG, and
// every location reachable from the keyboard. In the webview a location posts
// `{ type: 'open', … }`; in an exported file it is a vscode://file link that works
// without script. Every string from user code is escaped (see html-escape.ts).
import { randomBytes } from 'node:crypto';
import type { ControlCell, ControlId, ControlState } from '../../../rules/inventory/types';
import { relativePath } from '../cli/formats/paths';
import type { Range } from '../engine/finding';
import { severityLegend, stackedBarChart } from './html-charts';
import { html, Html } from './html-escape';
import { REPORT_CSS } from './html-style';
import { CATEGORY_LABELS, CONTROL_LABELS, locationText, STATE_LABELS } from './labels';
import { findingsByCategory, VERDICT_LABELS, type MatrixRow, type ReportData, type ReportFinding } from './model';

export type HtmlMode = 'webview' | 'export';

export interface HtmlOptions {
  readonly mode: HtmlMode;
  /** The webview's `cspSource`; only the webview has one. */
  readonly cspSource?: string;
  /** Tests pass one; otherwise a fresh random nonce per render. */
  readonly nonce?: string;
}

/** Messages the webview posts to the extension. */
export type ReportWebviewMessage =
  | { readonly type: 'open'; readonly fileName: string; readonly line: number; readonly character: number }
  | { readonly type: 'openDocs'; readonly url: string }
  | { readonly type: 'refresh' }
  | { readonly type: 'export' }
  | { readonly type: 'audit' };

export const STATE_SYMBOLS: Record<ControlState, string> = { ok: '✓', warn: '!', fail: '✗', na: '–' };

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export function contentSecurityPolicy(nonce: string, cspSource?: string): string {
  const extra = cspSource ? ` ${cspSource}` : '';
  return [
    "default-src 'none'",
    `img-src data:${extra}`,
    `style-src 'nonce-${nonce}'${extra}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderHtml(data: ReportData, options: HtmlOptions): string {
  const nonce = options.nonce ?? newNonce();
  const page = new Page(data, options.mode);
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(nonce, options.cspSource)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hardening Report</title>
<style nonce="${nonce}">${new Html(REPORT_CSS)}</style>
</head>
<body>
${page.header()}
<main>
${page.summary()}
${page.matrix()}
${page.topFiles()}
${page.findings()}
${page.skipped()}
</main>
<script nonce="${nonce}">${new Html(options.mode === 'webview' ? WEBVIEW_SCRIPT : EXPORT_SCRIPT)}</script>
</body>
</html>
`.text;
}

/** A page without a report (no audit yet, an audit running), in the report's look; webview only. */
export function renderNotice(message: string, options: HtmlOptions & { readonly runAudit?: boolean }): string {
  const nonce = options.nonce ?? newNonce();
  const action = options.runAudit ? html`<div class="toolbar"><button type="button" data-command="audit">Audit Workspace</button></div>` : undefined;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(nonce, options.cspSource)}">
<title>Hardening Report</title>
<style nonce="${nonce}">${new Html(REPORT_CSS)}</style>
</head>
<body>
<h1>Production readiness</h1>
<p class="note" role="status">${message}</p>
${action}
<script nonce="${nonce}">${new Html(WEBVIEW_SCRIPT)}</script>
</body>
</html>
`.text;
}

// Buttons and links are focusable and answer Enter (and Space, for buttons) by themselves:
// one delegated listener turns their clicks into messages.
const WEBVIEW_SCRIPT = `(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', function (event) {
    const target = event.target instanceof Element ? event.target.closest('[data-open], [data-command]') : null;
    if (!target) return;
    event.preventDefault();
    const d = target.dataset;
    if (d.command === 'openDocs') vscode.postMessage({ type: 'openDocs', url: d.url });
    else if (d.command) vscode.postMessage({ type: d.command });
    else vscode.postMessage({ type: 'open', fileName: d.file, line: Number(d.line), character: Number(d.character) });
  });
})();`;

// Links already work with Enter and without script; Space is the button convention, added here.
const EXPORT_SCRIPT = `document.addEventListener('keydown', function (event) {
  const target = event.target;
  if (event.key === ' ' && target instanceof HTMLAnchorElement && target.classList.contains('loc')) {
    event.preventDefault();
    target.click();
  }
});`;

class Page {
  constructor(
    private readonly data: ReportData,
    private readonly mode: HtmlMode,
  ) {}

  header(): Html {
    const d = this.data;
    const generated = d.generatedAt ? `, ${d.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '';
    const toolbar =
      this.mode === 'webview'
        ? html`<div class="toolbar"><button type="button" data-command="refresh">Refresh</button><button type="button" data-command="export">Export…</button></div>`
        : undefined;
    return html`<header>
<h1>Production readiness: <span class="verdict v-${d.verdict}">${VERDICT_LABELS[d.verdict]}</span></h1>
<p class="meta">${d.filesAudited} ${d.filesAudited === 1 ? 'file' : 'files'} audited in <span class="path">${d.roots.join(', ')}</span>: ${d.totals.findings} ${d.totals.findings === 1 ? 'finding' : 'findings'}, ${d.matrix.rows.length} HTTP ${d.matrix.rows.length === 1 ? 'endpoint' : 'endpoints'}${generated}${d.toolVersion ? ` (Production Hardening ${d.toolVersion})` : ''}.</p>
${toolbar}
</header>`;
  }

  summary(): Html {
    const d = this.data;
    const rows = d.categories.map(
      (c) => html`<tr><th scope="row">${CATEGORY_LABELS[c.category]}</th><td><span class="verdict v-${c.verdict}">${VERDICT_LABELS[c.verdict]}</span></td><td class="num">${c.counts.error}</td><td class="num">${c.counts.warning}</td><td class="num">${c.counts.info}</td><td class="num">${c.total}</td></tr>`,
    );
    const bySeverity = d.totals.bySeverity;
    return html`<section aria-labelledby="summary-heading">
<h2 id="summary-heading">Summary by category</h2>
<table id="category-summary">
<caption>Production readiness per category. ${d.verdictRule}</caption>
<thead><tr><th scope="col">Category</th><th scope="col">Verdict</th><th scope="col">Errors</th><th scope="col">Warnings</th><th scope="col">Infos</th><th scope="col">Total</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th scope="row">All</th><td><span class="verdict v-${d.verdict}">${VERDICT_LABELS[d.verdict]}</span></td><td class="num">${bySeverity.error}</td><td class="num">${bySeverity.warning}</td><td class="num">${bySeverity.info}</td><td class="num">${d.totals.findings}</td></tr></tfoot>
</table>
<figure>
${stackedBarChart('chart-categories', 'Findings by category and severity', d.categories.map((c) => ({ label: CATEGORY_LABELS[c.category], counts: c.counts })))}
<figcaption>Findings by category, stacked by severity.</figcaption>
${severityLegend()}
</figure>
<figure>
${stackedBarChart('chart-severity', 'Findings by severity', (['error', 'warning', 'info'] as const).map((s) => ({ label: s, counts: { error: 0, warning: 0, info: 0, [s]: bySeverity[s] } })))}
<figcaption>All findings by severity.</figcaption>
</figure>
</section>`;
  }

  matrix(): Html {
    const { controls, rows } = this.data.matrix;
    const head = controls.map((c) => html`<th scope="col">${CONTROL_LABELS[c]}</th>`);
    const body =
      rows.length > 0
        ? rows.map((r) => this.matrixRow(r, controls))
        : [html`<tr><td colspan="${controls.length + 1}">No HTTP route was found (Express, Fastify, Koa, Nest and Next routes are recognised).</td></tr>`];
    const legend = (['ok', 'warn', 'fail', 'na'] as const).map((s) => html`<span>${STATE_SYMBOLS[s]} ${STATE_LABELS[s]}</span>`);
    return html`<section aria-labelledby="matrix-heading">
<h2 id="matrix-heading">Endpoint matrix</h2>
<p class="legend">${legend}</p>
<table id="endpoint-matrix">
<caption>Every HTTP route and what protects it. Red cells point at the finding that says a protection is missing; amber ones were not found and need a look.</caption>
<thead><tr><th scope="col">Endpoint</th>${head}</tr></thead>
<tbody>${body}</tbody>
</table>
</section>`;
  }

  private matrixRow(row: MatrixRow, controls: readonly ControlId[]): Html {
    const endpoint = this.location(row.handler.fileName, row.handler.range, html`<code>${row.key}</code>`, `${row.key}, handled at ${this.where(row.handler.fileName, row.handler.range)}`);
    const cells = controls.map((c) => this.cell(c, row.controls[c]));
    return html`<tr data-endpoint="${row.key}"><th scope="row">${endpoint}<span class="framework">${row.framework}</span></th>${cells}</tr>`;
  }

  private cell(control: ControlId, cell: ControlCell): Html {
    const label = `${CONTROL_LABELS[control]}: ${STATE_LABELS[cell.state]}. ${cell.note}`;
    const content = html`<span class="symbol" aria-hidden="true">${STATE_SYMBOLS[cell.state]}</span> <span class="state">${STATE_LABELS[cell.state]}</span>`;
    // A button or link carries the full label; plain text gets it as text for screen readers.
    const inner = cell.location
      ? this.location(cell.location.fileName, cell.location.range, content, label)
      : html`<span aria-hidden="true">${content}</span><span class="sr-only">${label}</span>`;
    return html`<td data-control="${control}" data-state="${cell.state}" title="${cell.note}">${inner}</td>`;
  }

  topFiles(): Html {
    const files = this.data.topFiles;
    const rows = files.map(
      (f) => html`<tr><th scope="row">${this.location(f.fileName, START, html`<span class="path">${this.relative(f.fileName)}</span>`)}</th><td class="num">${f.counts.error}</td><td class="num">${f.counts.warning}</td><td class="num">${f.counts.info}</td><td class="num">${f.weight}</td></tr>`,
    );
    return html`<section aria-labelledby="files-heading">
<h2 id="files-heading">Top files</h2>
${
  files.length === 0
    ? html`<p class="note">No file has findings.</p>`
    : html`<table id="top-files"><caption>Ranked by weight: 10 per error, 3 per warning, 1 per info.</caption>
<thead><tr><th scope="col">File</th><th scope="col">Errors</th><th scope="col">Warnings</th><th scope="col">Infos</th><th scope="col">Weight</th></tr></thead>
<tbody>${rows}</tbody></table>`
}
</section>`;
  }

  findings(): Html {
    const sections = findingsByCategory(this.data.findings).map(
      ([category, list]) => html`<h3>${CATEGORY_LABELS[category]} (${list.length})</h3>
<ul class="findings">${list.map((f) => this.finding(f))}</ul>`,
    );
    return html`<section aria-labelledby="findings-heading">
<h2 id="findings-heading">Findings by category</h2>
${sections.length > 0 ? sections : html`<p class="note">No findings.</p>`}
</section>`;
  }

  private finding(f: ReportFinding): Html {
    const where = this.location(f.fileName, f.range, html`<span class="path">${this.where(f.fileName, f.range)}</span>`);
    const docs =
      this.mode === 'webview'
        ? html`<button type="button" class="link rule" data-command="openDocs" data-url="${f.docsUrl}">${f.ruleId}</button>`
        : html`<a class="rule" href="${f.docsUrl}">${f.ruleId}</a>`;
    return html`<li data-fingerprint="${f.fingerprint}"><span class="badge sev-${f.severity}">${f.severity}</span>${where}${docs}<span class="message">${messageHtml(f.message)}</span></li>`;
  }

  skipped(): Html {
    const skipped = this.data.skipped;
    if (skipped.length === 0) return html``;
    return html`<section aria-labelledby="skipped-heading">
<h2 id="skipped-heading">Skipped files (${skipped.length})</h2>
<ul>${skipped.map((s) => html`<li><span class="path">${this.relative(s.fileName)}</span>: ${s.reason}</li>`)}</ul>
</section>`;
  }

  /** A location the user can open: a button in the webview, a vscode:// link in an exported file. */
  private location(fileName: string, range: Range, content: Html, label?: string): Html {
    const { line, character } = range.start;
    if (this.mode === 'webview') {
      return html`<button type="button" class="link loc" data-open data-file="${fileName}" data-line="${line}" data-character="${character}"${ariaLabel(label)}>${content}</button>`;
    }
    return html`<a class="loc" href="${vscodeFileUri(fileName, range)}"${ariaLabel(label)}>${content}</a>`;
  }

  private where(fileName: string, range: Range): string {
    return locationText(this.data.baseDir, fileName, range);
  }

  private relative(fileName: string): string {
    return relativePath(this.data.baseDir, fileName);
  }
}

/** A rule's message with its `code spans` as <code>; escaped text throughout. */
function messageHtml(message: string): Html {
  const parts = message.split('`');
  if (parts.length % 2 === 0) return html`${message}`;
  return html`${parts.map((p, i) => (i % 2 === 1 ? html`<code>${p}</code>` : html`${p}`))}`;
}

function ariaLabel(label: string | undefined): Html | undefined {
  return label === undefined ? undefined : html` aria-label="${label}"`;
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** `vscode://file/<absolute path>:<line>:<column>` (1-based), each path segment percent-encoded. */
export function vscodeFileUri(fileName: string, range: Range): string {
  const segments = fileName.replace(/\\/g, '/').split('/');
  const encoded = segments.map((s, i) => (i === 0 && /^[A-Za-z]:$/.test(s) ? s : encodeURIComponent(s))).join('/');
  return `vscode://file${encoded.startsWith('/') ? '' : '/'}${encoded}:${range.start.line + 1}:${range.start.character + 1}`;
}
