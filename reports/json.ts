import type { ReportContext } from '../src/kernel/catalogue.js';
import type { ScanReport } from '../src/kernel/types.js';

/**
 * The versioned JSON contract (reports/schema/report.schema.json), keys in a stable order. With stored
 * history, `trends` adds per-run counts (identities, agents by registry status, findings by severity and OWASP NHI risk).
 */
export function renderJson(report: ScanReport, ctx?: Pick<ReportContext, 'trends'>): string {
  const doc = ctx?.trends && ctx.trends.length > 0 ? { ...report, trends: ctx.trends } : report;
  return JSON.stringify(doc, null, 2) + '\n';
}
