/**
 * The output contract (JSON schema: reports/schema/report.schema.json). Every renderer and
 * sink consumes these shapes; nothing downstream queries the store.
 */

export const SCHEMA_VERSION = '1.2.0';

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

/** How the detail of a gap for a requested source that yielded nothing begins (the CLI exits 2 on one unless --allow-empty). */
export const EMPTY_SOURCE = 'requested source yielded nothing';

/** The gaps of requested sources that yielded nothing. */
export function emptySourceGaps(gaps: CoverageGap[]): CoverageGap[] {
  return gaps.filter((g) => g.detail.startsWith(EMPTY_SOURCE));
}

export interface RunInfo {
  id: string;
  started_at: string;
  finished_at: string;
  as_of: string;
  lookback: string;
  sources: string[];
  counts: RunCounts;
  coverage_gaps: CoverageGap[];
  /** When each account's IAM export was taken (since 1.2.0): keys seen acting after it are new, not deleted. */
  iam_snapshots?: { account: string; at: string }[];
}

/** Why a CloudTrail record was skipped (README "What is counted as skipped"). */
export type SkippedCounts = Record<'not_an_object' | 'invalid_record' | 'invalid_utf8' | 'missing_event_time' | 'invalid_event_time', number>;

/**
 * What a run read and made of it (since 1.2.0 every CloudTrail record read is accounted for:
 * records_read = loaded + duplicates + the skipped ones). A daemon run counts the files it read.
 */
export interface RunCounts {
  /** CloudTrail records loaded (the same as `loaded`; kept for 1.0/1.1 readers). */
  cloudtrail_records: number;
  cloudtrail_files: number;
  identities: number;
  findings: number;
  /** Records found in the CloudTrail files that could be read. */
  records_read: number;
  /** Records loaded into the analysis, each event once. */
  loaded: number;
  /** Records dropped as copies of an event already loaded (same eventID and recipientAccountId). */
  duplicates: number;
  /** Loaded records with no userIdentity: counted, attributable to no identity. */
  unattributable: number;
  /** Records skipped, by reason. */
  skipped: SkippedCounts;
  /** Files skipped whole (unreadable, or not CloudTrail): their records are unknown. */
  files_skipped: number;
}

/** Counts of a run that read nothing (and of runs stored before 1.2.0, where a field is missing). */
export function emptyRunCounts(partial: Partial<RunCounts> = {}): RunCounts {
  return {
    cloudtrail_records: 0, cloudtrail_files: 0, identities: 0, findings: 0, records_read: 0, loaded: 0, duplicates: 0, unattributable: 0,
    skipped: { not_an_object: 0, invalid_record: 0, invalid_utf8: 0, missing_event_time: 0, invalid_event_time: 0 }, files_skipped: 0,
    ...partial,
  };
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

/** What `diff` compares of one identity's grants in one run (src/store/history.ts reads it from the run's grant summary). */
export interface GrantSummary {
  action_count: number;
  write_count: number;
  patterns: string[];
}

/** One side of a diff: the report plus, when known, grant summaries per identity. */
export interface DiffSide {
  report: ScanReport;
  grants?: Map<string, GrantSummary>;
}
