import type { ScanReport } from '../src/core/types.js';

/** The versioned JSON contract (reports/schema/report.schema.json), keys in a stable order. */
export function renderJson(report: ScanReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
