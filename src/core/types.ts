/**
 * The output contract (JSON schema: reports/schema/report.schema.json). Every renderer and
 * sink consumes these shapes; nothing downstream queries the store.
 */

export const SCHEMA_VERSION = '1.1.0';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type Confidence = 'low' | 'medium' | 'high';
export type Classification = 'human' | 'workload' | 'agent' | 'aws-service' | 'unknown';

/** Severities from least to most severe; the one place that orders them. */
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Numeric rank of a severity (info = 0 … critical = 4). */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Most severe first, for sorting. */
export function bySeverityDesc(a: Severity, b: Severity): number {
  return severityRank(b) - severityRank(a);
}

/**
 * Severities most severe first, bound as `$severity_order` where SQL sorts by severity:
 * `list_position($severity_order, severity)` (critical = 1 … info = 5).
 */
export const SEVERITY_ORDER: readonly Severity[] = [...SEVERITIES].reverse();

/** The fixed category vocabulary (issue "The spine"); detectors must use one of these. */
export const CATEGORIES = [
  'static-key-automation', 'human-key-automation', 'static-key-in-ci', 'overbroad',
  'privilege-escalation', 'runtime-escalation', 'exfiltration-capable', 'ownerless', 'stale',
  'long-lived-credential', 'shared-credential', 'human-use-of-nhi', 'trust-too-broad',
  'leaked-credential', 'unregistered', 'tier-violation', 'certification-expired', 'unused-secret', 'llm-abuse',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** A source that could not be (fully) read; listed in every report. */
export interface CoverageGap {
  source: string;
  detail: string;
}

export interface RunInfo {
  id: string;
  started_at: string;
  finished_at: string;
  as_of: string;
  lookback: string;
  sources: string[];
  counts: { cloudtrail_records: number; cloudtrail_files: number; identities: number; findings: number };
  coverage_gaps: CoverageGap[];
}

export interface EvidenceItem {
  signal: string;
  detail: string;
}

export interface InventoryItem {
  id: string;
  provider: 'aws' | 'github';
  account: string;
  kind: string;
  name: string;
  arn: string;
  classification: Classification;
  confidence: Confidence;
  evidence: EvidenceItem[];
  owner: { value: string | null; source: 'tag' | 'registry' | 'creator' | 'none'; tag?: string };
  created_at: string | null;
  creator: string | null;
  last_used_at: string | null;
  risk_score: number;
  risk_reasons: string[];
  finding_ids: string[];
  parent_id: string | null;
}

export interface Finding {
  id: string;
  detector: string;
  category: Category;
  severity: Severity;
  confidence: Confidence;
  title: string;
  subject: { type: string; id: string; arn: string | null; account: string | null };
  reason: string;
  evidence: Record<string, unknown>;
  remediation: { summary: string; steps: string[]; commands: string[] };
  owasp_nhi: string[];
  mitre_attack: string[];
  first_seen: string | null;
  last_seen: string | null;
}

/** An accepted risk (`--exceptions`): who accepted it, why, until when. */
export interface ExceptionRef {
  reason: string;
  approver: string;
  /** Last day (YYYY-MM-DD, inclusive) the exception applies. */
  expires: string;
  /** `file:line` of the exception. */
  source: string;
}

/** A finding an active exception covers: still reported, never dropped (schema 1.1+). */
export interface SuppressedFinding {
  finding: Finding;
  exception: ExceptionRef;
}

/** What a scan produces: the whole report document. */
export interface ScanReport {
  schema_version: string;
  run: RunInfo;
  inventory: InventoryItem[];
  findings: Finding[];
  /** Findings covered by an unexpired exception (since 1.1.0). */
  suppressed: SuppressedFinding[];
}
