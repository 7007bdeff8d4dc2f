import type { HistoryPoint, TrendPoint } from '../src/core/catalogue.js';
import type { ReportSummary } from './summary.js';
import { SEVERITY_OUTPUT } from './severity.js';
/** Inline SVG charts (no scripts, no fonts, no network): horizontal bars and a line over time. */

/** Escape text for XML/HTML content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
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
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, sans-serif">`
    + `<title>${escapeXml(title)}</title><text x="0" y="16" font-size="14" font-weight="600" fill="#111827">${escapeXml(title)}</text>${rows.join('')}</svg>`;
}

/** A line chart of one series over time (labels are short dates). */
export function lineChart(title: string, points: { label: string; value: number }[], color = '#7c3aed', width = 420): string {
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
  const step = Math.max(1, Math.ceil(points.length / 6));
  const labels = points.map((p, i) => (i % step === 0 || i === points.length - 1)
    ? `<text x="${x(i).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="10" fill="#4b5563">${escapeXml(p.label)}</text>` : '').join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, sans-serif">`
    + `<title>${escapeXml(title)}</title><text x="0" y="16" font-size="14" font-weight="600" fill="#111827">${escapeXml(title)}</text>`
    + `<line x1="${left}" y1="${top + innerH}" x2="${width - right}" y2="${top + innerH}" stroke="#d1d5db"/>`
    + `<text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="10" fill="#4b5563">${max}</text>`
    + `<text x="${left - 6}" y="${top + innerH}" text-anchor="end" font-size="10" fill="#4b5563">0</text>`
    + `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>${dots}${labels}</svg>`;
}

/** Several series over the same runs, one line each, with a legend. */
export function multiLineChart(title: string, labels: string[], series: { name: string; color: string; values: number[] }[], width = 560): string {
  const height = 200;
  const left = 36;
  const right = 130;
  const top = 28;
  const bottom = 36;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const innerW = width - left - right;
  const innerH = height - top - bottom;
  const x = (i: number): number => left + (labels.length <= 1 ? innerW / 2 : (i * innerW) / (labels.length - 1));
  const y = (v: number): number => top + innerH - (v / max) * innerH;
  const lines = series.map((s, k) => {
    const path = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const dots = s.values.map((v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${s.color}"><title>${escapeXml(`${s.name} ${labels[i] ?? ''}: ${v}`)}</title></circle>`).join('');
    const legend = `<rect x="${width - right + 10}" y="${top + k * 16}" width="10" height="10" fill="${s.color}"/>`
      + `<text x="${width - right + 24}" y="${top + k * 16 + 9}" font-size="11" fill="#1f2937">${escapeXml(s.name)}</text>`;
    return `<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>${dots}${legend}`;
  }).join('');
  const step = Math.max(1, Math.ceil(labels.length / 6));
  const xl = labels.map((l, i) => (i % step === 0 || i === labels.length - 1)
    ? `<text x="${x(i).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="10" fill="#4b5563">${escapeXml(l)}</text>` : '').join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, sans-serif">`
    + `<title>${escapeXml(title)}</title><text x="0" y="16" font-size="14" font-weight="600" fill="#111827">${escapeXml(title)}</text>`
    + `<line x1="${left}" y1="${top + innerH}" x2="${width - right}" y2="${top + innerH}" stroke="#d1d5db"/>`
    + `<text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="10" fill="#4b5563">${max}</text>`
    + `<text x="${left - 6}" y="${top + innerH}" text-anchor="end" font-size="10" fill="#4b5563">0</text>`
    + `${lines}${xl}</svg>`;
}

const PALETTE = ['#7c3aed', '#2563eb', '#059669', '#f59e0b', '#dc2626', '#0891b2', '#9ca3af', '#b45309', '#db2777', '#4b5563'];

/** Charts over stored runs (2+ points): one line per key of each trend series. */
export function trendCharts(trends: TrendPoint[]): { id: string; title: string; svg: string }[] {
  if (trends.length < 2) return [];
  const labels = trends.map((t) => t.as_of.slice(0, 16).replace('T', ' '));
  const chart = (id: string, title: string, pick: (t: TrendPoint) => Record<string, number>, color: (k: string, i: number) => string) => {
    const keys = [...new Set(trends.flatMap((t) => Object.keys(pick(t))))].sort();
    return { id, title, svg: multiLineChart(title, labels, keys.map((k, i) => ({ name: k, color: color(k, i), values: trends.map((t) => pick(t)[k] ?? 0) }))) };
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
export function reportCharts(s: ReportSummary, history: HistoryPoint[] = []): { id: string; title: string; svg: string }[] {
  const charts = [
    { id: 'chart-classification', title: 'Identities by classification', svg: barChart('Identities by classification', s.byClassification.map((c) => ({ label: c.key, value: c.count, color: CLASS_COLORS[c.key] ?? '#6b7280' }))) },
    { id: 'chart-severity', title: 'Findings by severity', svg: barChart('Findings by severity', s.bySeverity.map((c) => ({ label: c.key, value: c.count, color: SEVERITY_OUTPUT[c.key].color }))) },
    { id: 'chart-owasp', title: 'Findings by OWASP NHI risk', svg: barChart('Findings by OWASP NHI risk', s.byOwasp.map((c) => ({ label: `${c.key.replace(':2025', '')} ${c.label}`, value: c.count, color: '#b45309' })), 560, 290) },
  ];
  if (history.length >= 2) {
    charts.push({ id: 'chart-agents-over-time', title: 'Agents over time', svg: lineChart('Agents over time', history.map((h) => ({ label: h.as_of.slice(0, 10), value: h.agents }))) });
  }
  return charts;
}
