// The report's charts as inline SVG (no chart library, nothing to load): horizontal
// bars, stacked by severity. Each chart has a title and a description listing every
// number, and each bar its count as text, so they read without colour or sight.
import type { Severity } from '../../../rules/api';
import { html, type Html } from './html-escape';
import type { SeverityCounts } from './model';

export interface BarRow {
  readonly label: string;
  readonly counts: SeverityCounts;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const PLURAL: Record<Severity, string> = { error: 'errors', warning: 'warnings', info: 'infos' };

const LABEL_WIDTH = 220;
const BAR_WIDTH = 380;
const COUNT_WIDTH = 200;
const ROW_HEIGHT = 26;
const BAR_HEIGHT = 16;

export function countsText(c: SeverityCounts): string {
  const parts = SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${c[s] === 1 ? s : PLURAL[s]}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

function total(c: SeverityCounts): number {
  return c.error + c.warning + c.info;
}

/** `id` must be unique in the page: it names the title and description the SVG is labelled by. */
export function stackedBarChart(id: string, title: string, rows: readonly BarRow[]): Html {
  const max = Math.max(1, ...rows.map((r) => total(r.counts)));
  const height = rows.length * ROW_HEIGHT + 8;
  const width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH;
  const description = rows.map((r) => `${r.label}: ${countsText(r.counts)}`).join('; ');
  const bars = rows.map((row, i) => {
    const y = 4 + i * ROW_HEIGHT;
    let x = LABEL_WIDTH;
    const segments = SEVERITIES.filter((s) => row.counts[s] > 0).map((s) => {
      const w = Math.max(2, Math.round((row.counts[s] / max) * BAR_WIDTH));
      const rect = html`<rect class="bar-${s}" x="${x}" y="${y + (ROW_HEIGHT - BAR_HEIGHT) / 2}" width="${w}" height="${BAR_HEIGHT}"><title>${row.label}: ${row.counts[s]} ${row.counts[s] === 1 ? s : PLURAL[s]}</title></rect>`;
      x += w;
      return rect;
    });
    const n = total(row.counts);
    return html`<g>
<text x="${LABEL_WIDTH - 8}" y="${y + ROW_HEIGHT / 2 + 4}" text-anchor="end">${row.label}</text>
${segments}
<text class="${n === 0 ? 'muted' : ''}" x="${x + 6}" y="${y + ROW_HEIGHT / 2 + 4}">${n === 0 ? '0' : countsText(row.counts)}</text>
</g>`;
  });
  return html`<svg class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">${title}</title>
<desc id="${id}-desc">${description}</desc>
<line class="axis" x1="${LABEL_WIDTH}" y1="0" x2="${LABEL_WIDTH}" y2="${height}"/>
${bars}
</svg>`;
}

export function severityLegend(): Html {
  return html`<p class="legend" aria-hidden="true">${SEVERITIES.map((s) => html`<span><span class="swatch sev-${s}"></span>${s}</span>`)}</p>`;
}
