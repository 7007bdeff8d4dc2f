import { SEVERITIES, type Classification, type Finding, type InventoryItem, type RunCounts, type ScanReport, type Severity } from '../src/kernel/types.js';

/** Classifications in display order. */
export const CLASSIFICATIONS: Classification[] = ['agent', 'workload', 'human', 'aws-service', 'unknown'];

/** OWASP Top 10 Non-Human Identity risks (2025), for labels in human-readable reports. */
export const OWASP_NHI: Record<string, string> = {
  'NHI1:2025': 'Improper Offboarding',
  'NHI2:2025': 'Secret Leakage',
  'NHI3:2025': 'Vulnerable Third-Party NHI',
  'NHI4:2025': 'Insecure Authentication',
  'NHI5:2025': 'Overprivileged NHI',
  'NHI6:2025': 'Insecure Cloud Deployment Configurations',
  'NHI7:2025': 'Long-Lived Secrets',
  'NHI8:2025': 'Environment Isolation',
  'NHI9:2025': 'NHI Reuse',
  'NHI10:2025': 'Human Use of NHI',
};

/** Aggregates the human-readable formats (md, html) share, computed once from the report. */
export interface ReportSummary {
  byClassification: { key: Classification; count: number }[];
  bySeverity: { key: Severity; count: number }[];
  byOwasp: { key: string; label: string; count: number }[];
  agents: InventoryItem[];
  topRisks: { identity: InventoryItem | null; findings: Finding[]; score: number; subject: string }[];
}

/** Count the report for summaries and charts (stable ordering throughout). */
export function summarize(report: ScanReport, top = 10): ReportSummary {
  const byClassification = CLASSIFICATIONS.map((key) => ({ key, count: report.inventory.filter((i) => i.classification === key).length }));
  const bySeverity = [...SEVERITIES].reverse().map((key) => ({ key, count: report.findings.filter((f) => f.severity === key).length }));
  const owasp = new Map<string, number>();
  for (const f of report.findings) for (const o of f.owasp_nhi) owasp.set(o, (owasp.get(o) ?? 0) + 1);
  const byOwasp = [...owasp.entries()]
    .map(([key, count]) => ({ key, label: OWASP_NHI[key] ?? key, count }))
    .sort((a, b) => nhiNumber(a.key) - nhiNumber(b.key) || a.key.localeCompare(b.key));
  const agents = report.inventory.filter((i) => i.classification === 'agent')
    .sort((a, b) => b.risk_score - a.risk_score || a.id.localeCompare(b.id));

  // Top risks: identities by score with their findings; findings about subjects outside the inventory stand alone.
  const byId = new Map(report.inventory.map((i) => [i.id, i]));
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const key = byId.has(f.subject.id) ? f.subject.id : f.subject.arn && byId.has(f.subject.arn) ? f.subject.arn : f.subject.id;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const topRisks = [...groups.entries()].map(([subject, findings]) => {
    const identity = byId.get(subject) ?? null;
    const score = identity?.risk_score ?? Math.max(...findings.map((f) => (SEVERITIES.indexOf(f.severity) + 1) * 15));
    return { identity, findings, score, subject };
  }).sort((a, b) => b.score - a.score || a.subject.localeCompare(b.subject)).slice(0, top);
  return { byClassification, bySeverity, byOwasp, agents, topRisks };
}

function nhiNumber(key: string): number {
  const m = /^NHI(\d+)/.exec(key);
  return m ? Number(m[1]) : 99;
}

/** A display name for an identity or finding subject. */
export function subjectLabel(f: Finding): string {
  return f.subject.type === 'access-key' ? `${f.subject.id} (${f.subject.arn ?? 'unknown user'})` : (f.subject.arn ?? f.subject.id);
}

/** Evidence as short `key: value` lines for people (commands and locations are shown elsewhere). */
export function evidenceLines(evidence: Record<string, unknown>, max = 10): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(evidence)) {
    if (k === 'commands' || k === 'suggested_policy' || v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    let text: string;
    if (Array.isArray(v)) text = v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
    else if (typeof v === 'object') text = JSON.stringify(v);
    else text = String(v);
    out.push(`${k}: ${text.length > 160 ? text.slice(0, 159) + '…' : text}`);
    if (out.length >= max) break;
  }
  return out;
}

/** The least-privilege policy a finding suggests (`evidence.suggested_policy`), pretty-printed, if it has one. */
export function suggestedPolicy(f: Finding): string | undefined {
  const p = f.evidence['suggested_policy'];
  if (p === null || p === undefined || p === '') return undefined;
  if (typeof p === 'string') {
    try { return JSON.stringify(JSON.parse(p), null, 2); } catch { return p; }
  }
  return JSON.stringify(p, null, 2);
}

/** The owner as a person would read it. */
export function ownerLabel(i: InventoryItem): string {
  if (i.owner.value === null) return 'none';
  if (i.owner.source === 'creator') return `none (creator: ${i.owner.value})`;
  return `${i.owner.value} (${i.owner.source}${i.owner.tag ? ` ${i.owner.tag}` : ''})`;
}

/**
 * What became of the CloudTrail records read, in one line every human-readable format shows:
 * "CloudTrail: 172 records read, 137 loaded, 21 duplicates dropped, 13 skipped (…), 2 unattributable, 1 file skipped".
 */
export function recordCountsLine(c: RunCounts): string {
  const skipped = Object.entries(c.skipped).filter(([, n]) => n > 0);
  const total = skipped.reduce((a, [, n]) => a + n, 0);
  const parts = [`${c.records_read} records read`, `${c.loaded} loaded`, `${c.duplicates} duplicates dropped`,
    `${total} skipped${total > 0 ? ` (${skipped.map(([k, n]) => `${n} ${k.replaceAll('_', ' ')}`).join(', ')})` : ''}`,
    `${c.unattributable} unattributable (no userIdentity)`, `${c.files_skipped} file(s) skipped`];
  return `CloudTrail: ${parts.join(', ')}`;
}

/**
 * When each account's IAM export was taken, in one line every human-readable format shows (a key acting in CloudTrail
 * but absent from the export is judged against this time): "IAM snapshots: 111122223333 2026-11-20T00:00:00.000Z".
 * undefined when the run loaded no IAM export.
 */
export function iamSnapshotsLine(run: Pick<ScanReport['run'], 'iam_snapshots'>): string | undefined {
  return run.iam_snapshots?.length ? `IAM snapshots: ${run.iam_snapshots.map((s) => `${s.account} ${s.at}`).join(', ')}` : undefined;
}
