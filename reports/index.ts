import type { ReportContext } from '../src/kernel/catalogue.js';
import type { ScanReport } from '../src/kernel/types.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJsonl } from './jsonl.js';
import { renderMarkdown, renderMarkdownSummary } from './markdown.js';
import { renderOcsf } from './ocsf.js';
import { renderSarif } from './sarif.js';
import { renderTable, type TableOptions } from './table.js';

/** Every output format, in the order help lists them. */
export const FORMATS = ['table', 'json', 'jsonl', 'sarif', 'ocsf', 'csv', 'md', 'md-summary', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** Usual file extension per format (for messages and docs). */
export const FORMAT_EXTENSIONS: Record<Format, string> = {
  table: 'txt', json: 'json', jsonl: 'jsonl', sarif: 'sarif', ocsf: 'ocsf.json', csv: 'csv', md: 'md', 'md-summary': 'summary.md', html: 'html',
};

/** Is `s` a known format name? */
export function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

/** Render a report in one format. Pure: same report and context, same text. */
export function render(format: Format, report: ScanReport, ctx: ReportContext, table: TableOptions = {}): string {
  switch (format) {
    case 'table': return renderTable(report, table);
    case 'json': return renderJson(report, ctx);
    case 'jsonl': return renderJsonl(report);
    case 'sarif': return renderSarif(report, ctx);
    case 'ocsf': return renderOcsf(report, ctx);
    case 'csv': return renderCsv(report);
    case 'md': return renderMarkdown(report, ctx);
    case 'md-summary': return renderMarkdownSummary(report, ctx);
    case 'html': return renderHtml(report, ctx);
  }
}
