import type { ScanReport } from '../src/kernel/types.js';
import { SEVERITIES } from '../src/kernel/types.js';

/** Columns of the inventory CSV, in order. */
export const CSV_COLUMNS = [
  'id', 'provider', 'account', 'kind', 'name', 'arn', 'classification', 'confidence', 'owner', 'owner_source',
  'created_at', 'creator', 'last_used_at', 'risk_score', 'finding_count', 'top_severity', 'finding_ids', 'parent_id', 'evidence',
] as const;

/**
 * Quote one field per RFC 4180 (quotes doubled; fields with comma, quote, CR or LF quoted). Control
 * characters in data (escape sequences, NUL, line breaks) are removed first, then text that a spreadsheet
 * would run as a formula (= + - @, after any leading blanks) gets a leading apostrophe (OWASP CSV injection).
 */
export function csvField(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  let s = value === null || value === undefined ? '' : String(value).replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+/g, ' ');
  if (typeof value === 'string' && /^\s*[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The inventory, one row per identity (RFC 4180: CRLF line ends, header row). */
export function renderCsv(report: ScanReport): string {
  const sev = new Map(report.findings.map((f) => [f.id, f.severity]));
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const i of report.inventory) {
    const ranks = i.finding_ids.map((id) => SEVERITIES.indexOf(sev.get(id) ?? 'info'));
    const top = ranks.length > 0 ? SEVERITIES[Math.max(...ranks)] : '';
    const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      id: i.id, provider: i.provider, account: i.account, kind: i.kind, name: i.name, arn: i.arn,
      classification: i.classification, confidence: i.confidence, owner: i.owner.value, owner_source: i.owner.source,
      created_at: i.created_at, creator: i.creator, last_used_at: i.last_used_at, risk_score: i.risk_score,
      finding_count: i.finding_ids.length, top_severity: top, finding_ids: i.finding_ids.join(';'), parent_id: i.parent_id,
      evidence: i.evidence.map((e) => (e.detail ? `${e.signal} (${e.detail})` : e.signal)).join('; '),
    };
    rows.push(CSV_COLUMNS.map((c) => csvField(values[c])).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
