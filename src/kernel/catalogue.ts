import type { Category, Confidence, Severity } from './types.js';

/**
 * What a renderer needs to know about a detector (SARIF rules, HTML help, OCSF references).
 * Renderers receive this as data; they never read detector files themselves.
 */
export interface DetectorInfo {
  id: string;
  title: string;
  category: Category;
  severity: Severity;
  confidence: Confidence;
  summary: string;
  rationale: string;
  false_positives: string[];
  remediation: { summary: string; steps: string[]; commands: string[] };
  references: string[];
  mappings: { owasp_nhi: string[]; mitre_attack: string[] };
}

/** One point of run history (for "agents over time"). */
export interface HistoryPoint {
  run_id: string;
  as_of: string;
  identities: number;
  agents: number;
  findings: number;
}

/** Counts of one run over time (src/store/trends.ts): what the trend charts and `report --format json` show. */
export interface TrendPoint {
  run_id: string;
  as_of: string;
  identities_by_classification: Record<string, number>;
  agents_by_registry_status: Record<string, number>;
  findings_by_severity: Record<string, number>;
  findings_by_owasp_nhi: Record<string, number>;
}

/** Everything besides the report itself that a renderer may use. */
export interface ReportContext {
  /** The detectors that ran, sorted by id (SARIF rules, help text). */
  detectors: DetectorInfo[];
  /** Earlier runs plus this one, oldest first; charts over time appear when it has 2+ points. */
  history?: HistoryPoint[];
  /** Per-run trend counts, oldest first (stored runs); JSON includes them, HTML charts them from 2 points on. */
  trends?: TrendPoint[];
}
