import type { ScanReport } from '../src/kernel/types.js';

/**
 * One finding per line, for log shippers (Filebeat, Fluent Bit, Vector). Each line is the finding
 * of the JSON contract plus `run_id` and `as_of`, so a line stands on its own.
 */
export function renderJsonl(report: ScanReport): string {
  return report.findings.map((f) => JSON.stringify({ run_id: report.run.id, as_of: report.run.as_of, ...f }) + '\n').join('');
}
