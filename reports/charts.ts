import type { HistoryPoint, TrendPoint } from '../src/kernel/catalogue.js';
import type { ReportSummary } from './summary.js';
import { SEVERITY_OUTPUT } from './severity.js';
/** Inline SVG charts (no scripts, no fonts, no network): horizontal bars and a line over time. */

/** Escape text for XML/HTML content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Estimated width in px of `s` in a sans-serif at `size` px (generous, so labels never clip). */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const c of s) w += /[A-Z0-9MW@%#]/.test(c) ? 0.68 : /[ il.,:;|'!]/.test(c) ? 0.3 : 0.56;
  return w * size;
}

/**
 * x-axis labels that fit: as many evenly spaced labels as do not overlap (always the first and the last), the first
 * anchored at its start and the last at its end, so neither is cut at the chart's edge.
 */
function axisLabels(labels: string[], x: (i: number) => number, y: number, innerW: number, font = 10): string {
  const n = labels.length;
  if (n === 0) return '';
  const width = (i: number) => textWidth(labels[i] ?? '', font);
  const extent = (i: number): [number, number] => {
    const w = width(i);
    if (n > 1 && i === 0) return [x(i), x(i) + w];
    if (n > 1 && i === n - 1) return [x(i) - w, x(i)];
    return [x(i) - w / 2, x(i) + w / 2];
  };
  let shown = [0];
  for (let k = Math.min(n, Math.floor(innerW / 20) + 1); k >= 2; k--) {
    const idx = [...new Set(Array.from({ length: k }, (_, j) => Math.round((j * (n - 1)) / (k - 1))))];
    if (idx.every((i, j) => j === 0 || extent(idx[j - 1]!)[1] + 8 <= extent(i)[0])) { shown = idx; break; }
  }
  return shown.map((i) => {
    const anchor = n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle';
    return `<text x="${x(i).toFixed(1)}" y="${y}" text-anchor="${anchor}" font-size="${font}" fill="#4b5563">${escapeXml(labels[i] ?? '')}</text>`;
  }).join('');
}

/**
 * Width of the phone variant of every chart: it is drawn at its own size (never scaled down) in a 390 px wide
 * screen's column (390 − 2 × 12 page padding − 2 × 13 figure padding and border = 340), with text of at least 12 px.
 */
export const PHONE_CHART_WIDTH = 330;
/** Smallest font size in the phone variants. */
export const PHONE_FONT = 12;

/** Split `s` into lines no wider than `width` at `size` px (a word longer than a line gets a line of its own). */
function wrap(s: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size) > width) { lines.push(line); line = word; } else line = next;
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

const svgOpen = (title: string, width: number, height: number): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, sans-serif">`
  + `<title>${escapeXml(title)}</title><text x="0" y="16" font-size="14" font-weight="600" fill="#111827">${escapeXml(title)}</text>`;

/** The phone form of a bar chart: each label on its own line(s) above its bar, so the text keeps its size. */
export function stackedBarChart(title: string, bars: Bar[], width = PHONE_CHART_WIDTH): string {
  const font = PHONE_FONT + 1;
  const valueW = 40;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const room = width - valueW;
  let y = 28;
  const rows = bars.map((b) => {
    const label = wrap(b.label, width, font).map((l) => {
      y += font + 3;
      return `<text x="0" y="${y}" font-size="${font}" fill="#1f2937">${escapeXml(l)}</text>`;
    }).join('');
    const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * room));
    const bar = `<rect x="0" y="${y + 5}" width="${w}" height="14" rx="2" fill="${b.color}"/>`
      + `<text x="${w + 5}" y="${y + 17}" font-size="${font}" fill="#1f2937">${b.value}</text>`;
    y += 26;
    return label + bar;
  });
  if (bars.length === 0) { rows.push(`<text x="0" y="45" font-size="${font}" fill="#6b7280">none</text>`); y = 50; }
  return `${svgOpen(title, width, y + 4)}${rows.join('')}</svg>`;
}

/** One bar of a chart. */
export interface Bar {
  label: string;
  value: number;
  color: string;
}

/** A horizontal bar chart with labels and values; bars scale to the largest value. */
export function barChart(title: string, bars: Bar[], width = 420, labelW = 150): string {
  const rowH = 24;
  const valueW = 40;
  // Labels are right-aligned against the bars: make room for the longest, so none is clipped at the left edge.
  const needed = Math.ceil(Math.max(0, ...bars.map((b) => textWidth(b.label, 12)))) + 12;
  if (needed > labelW) { width += needed - labelW; labelW = needed; }
  const height = 28 + Math.max(1, bars.length) * rowH + 6;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const room = width - labelW - valueW - 10;
  const rows = bars.map((b, i) => {
    const y = 28 + i * rowH;
    const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * room));
    return `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end" font-size="12" fill="#1f2937">${escapeXml(b.label)}</text>`
      + `<rect x="${labelW}" y="${y + 3}" width="${w}" height="16" rx="2" fill="${b.color}"/>`
      + `<text x="${labelW + w + 5}" y="${y + 15}" font-size="12" fill="#1f2937">${b.value}</text>`;
  });
  if (bars.length === 0) rows.push(`<text x="${labelW}" y="45" font-size="12" fill="#6b7280">none</text>`);
  return `${svgOpen(title, width, height)}${rows.join('')}</svg>`;
}

/** A line chart of one series over time (labels are short dates). */
export function lineChart(title: string, points: { label: string; value: number }[], color = '#7c3aed', width = 420, font = 10): string {
  const height = 180;
  const left = 36;
  const right = 36;
  const top = 28;
  const bottom = 36;
  const max = Math.max(1, ...points.map((p) => p.value));
  const innerW = width - left - right;
  const innerH = height - top - bottom;
  const x = (i: number): number => left + (points.length <= 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v: number): number => top + innerH - (v / max) * innerH;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = points.map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" fill="${color}"><title>${escapeXml(`${p.label}: ${p.value}`)}</title></circle>`).join('');
  const labels = axisLabels(points.map((p) => p.label), x, height - bottom + 16, innerW, font);
  return svgOpen(title, width, height)
    + `<line x1="${left}" y1="${top + innerH}" x2="${width - right}" y2="${top + innerH}" stroke="#d1d5db"/>`
    + `<text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="${font}" fill="#4b5563">${max}</text>`
    + `<text x="${left - 6}" y="${top + innerH}" text-anchor="end" font-size="${font}" fill="#4b5563">0</text>`
    + `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>${dots}${labels}</svg>`;
}

/** Several series over the same runs, one line each, with a legend. */
export function multiLineChart(title: string, labels: string[], series: { name: string; color: string; values: number[] }[], width = 560, phone = false): string {
  // Phone: the legend goes under the plot (one entry per line) and every text is PHONE_FONT.
  const font = phone ? PHONE_FONT : 10;
  const legendFont = phone ? PHONE_FONT : 11;
  const plotH = phone ? 180 : Math.max(200, 28 + series.length * 16 + 36);
  const height = phone ? plotH + 8 + series.length * 18 : plotH;
  const left = 36;
  const right = phone ? 12 : Math.max(130, Math.ceil(Math.max(0, ...series.map((s) => textWidth(s.name, 11)))) + 34);
  const top = 28;
  const bottom = 36 + (height - plotH);
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const innerW = width - left - right;
  const innerH = height - top - bottom;
  const x = (i: number): number => left + (labels.length <= 1 ? innerW / 2 : (i * innerW) / (labels.length - 1));
  const y = (v: number): number => top + innerH - (v / max) * innerH;
  const lines = series.map((s, k) => {
    const path = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const dots = s.values.map((v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${s.color}"><title>${escapeXml(`${s.name} ${labels[i] ?? ''}: ${v}`)}</title></circle>`).join('');
    const [lx, ly, step] = phone ? [left, plotH + 8, 18] : [width - right + 10, top, 16];
    const legend = `<rect x="${lx}" y="${ly + k * step}" width="10" height="10" fill="${s.color}"/>`
      + `<text x="${lx + 14}" y="${ly + k * step + (phone ? 10 : 9)}" font-size="${legendFont}" fill="#1f2937">${escapeXml(s.name)}</text>`;
    return `<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>${dots}${legend}`;
  }).join('');
  const xl = axisLabels(labels, x, top + innerH + 16, innerW, font);
  return svgOpen(title, width, height)
    + `<line x1="${left}" y1="${top + innerH}" x2="${width - right}" y2="${top + innerH}" stroke="#d1d5db"/>`
    + `<text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="${font}" fill="#4b5563">${max}</text>`
    + `<text x="${left - 6}" y="${top + innerH}" text-anchor="end" font-size="${font}" fill="#4b5563">0</text>`
    + `${lines}${xl}</svg>`;
}

/** A timestamp as people read it: `2026-11-20 06:17 UTC` (seconds and milliseconds dropped). */
export function humanTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const SEVERITY_LEGEND = ['critical', 'high', 'medium', 'low', 'info'];
const CLASS_LEGEND = ['agent', 'workload', 'human', 'aws-service', 'unknown'];

/** Legend order: severities most severe first, classifications as the bar charts list them, else natural (NHI2 < NHI10). */
export function legendOrder(a: string, b: string): number {
  for (const order of [SEVERITY_LEGEND, CLASS_LEGEND]) {
    if (order.includes(a) && order.includes(b)) return order.indexOf(a) - order.indexOf(b);
  }
  return a.localeCompare(b, 'en', { numeric: true });
}

const PALETTE = ['#7c3aed', '#2563eb', '#059669', '#f59e0b', '#dc2626', '#0891b2', '#9ca3af', '#b45309', '#db2777', '#4b5563'];

/** Charts over stored runs (2+ points): one line per key of each trend series. */
export function trendCharts(trends: TrendPoint[]): Chart[] {
  if (trends.length < 2) return [];
  const labels = trends.map((t) => humanTime(t.as_of));
  const days = labels.map((l) => l.slice(0, 10)); // the phone form: dates only, so more of them fit
  const chart = (id: string, title: string, pick: (t: TrendPoint) => Record<string, number>, color: (k: string, i: number) => string) => {
    const keys = [...new Set(trends.flatMap((t) => Object.keys(pick(t))))].sort(legendOrder);
    const series = keys.map((k, i) => ({ name: k.replace(/:2025$/, ''), color: color(k, i), values: trends.map((t) => pick(t)[k] ?? 0) }));
    return { id, title, svg: multiLineChart(title, labels, series), phone: multiLineChart(title, days, series, PHONE_CHART_WIDTH, true) };
  };
  return [
    chart('chart-trend-classification', 'Identities by classification over time', (t) => t.identities_by_classification, (k, i) => CLASS_COLORS[k] ?? PALETTE[i % PALETTE.length] as string),
    chart('chart-trend-registry', 'Agents by registry status over time', (t) => t.agents_by_registry_status, (_k, i) => PALETTE[i % PALETTE.length] as string),
    chart('chart-trend-severity', 'Findings by severity over time', (t) => t.findings_by_severity, (k, i) => SEVERITY_OUTPUT[k as keyof typeof SEVERITY_OUTPUT]?.color ?? PALETTE[i % PALETTE.length] as string),
    chart('chart-trend-owasp', 'Findings by OWASP NHI risk over time', (t) => t.findings_by_owasp_nhi, (_k, i) => PALETTE[i % PALETTE.length] as string),
  ];
}

const CLASS_COLORS: Record<string, string> = { agent: '#7c3aed', workload: '#2563eb', human: '#059669', 'aws-service': '#9ca3af', unknown: '#f59e0b' };

/** The report's charts: identities by classification, findings by severity and by OWASP NHI risk, agents over time. */
export function reportCharts(s: ReportSummary, history: HistoryPoint[] = []): Chart[] {
  const bars = (id: string, title: string, data: Bar[], width?: number, labelW?: number): Chart =>
    ({ id, title, svg: barChart(title, data, width, labelW), phone: stackedBarChart(title, data) });
  const charts = [
    bars('chart-classification', 'Identities by classification', s.byClassification.map((c) => ({ label: c.key, value: c.count, color: CLASS_COLORS[c.key] ?? '#6b7280' }))),
    bars('chart-severity', 'Findings by severity', s.bySeverity.map((c) => ({ label: c.key, value: c.count, color: SEVERITY_OUTPUT[c.key].color }))),
    bars('chart-owasp', 'Findings by OWASP NHI risk', s.byOwasp.map((c) => ({ label: `${c.key.replace(':2025', '')} ${c.label}`, value: c.count, color: '#b45309' })), 560, 290),
  ];
  if (history.length >= 2) {
    const points = history.map((h) => ({ label: humanTime(h.as_of), value: h.agents }));
    const days = points.map((p) => ({ ...p, label: p.label.slice(0, 10) }));
    charts.push({ id: 'chart-agents-over-time', title: 'Agents over time', svg: lineChart('Agents over time', points), phone: lineChart('Agents over time', days, undefined, PHONE_CHART_WIDTH, PHONE_FONT) });
  }
  return charts;
}

/** One chart in two forms: `svg` for wide screens and Markdown, `phone` laid out for a narrow column (HTML under 700 px). */
export interface Chart {
  id: string;
  title: string;
  svg: string;
  phone: string;
}
