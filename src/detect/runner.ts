import { createHash } from 'node:crypto';
import { DOUBLE, INTEGER, TIMESTAMP, VARCHAR, BOOLEAN, LIST, jsToDuckDBValue, type DuckDBValue } from '@duckdb/node-api';
import { errorMessage } from '../kernel/errors.js';
import { redact, redactValue } from '../kernel/redact.js';
import { SEVERITIES, type CoverageGap, type Finding, type Severity } from '../kernel/types.js';
import type { Row, Store } from '../store/db.js';
import type { Detector, DetectorMeta } from './loader.js';

/** Columns every detector SELECT returns (plus an optional `severity` that overrides the default). */
export const DETECTOR_COLUMNS = ['subject_type', 'subject_id', 'account_id', 'principal_arn', 'first_seen', 'last_seen', 'reason', 'evidence'] as const;

/** Time and parameter overrides for one detection pass. */
export interface DetectOptions {
  /** Called before each detector runs (done = detectors finished so far) and once at the end: progress. */
  onDetector?: (id: string, done: number) => void;
  asOf: Date;
  lookbackDays: number;
  /** `detector-id.param` or `param` (all detectors) → value. */
  params?: Record<string, unknown>;
}

export interface DetectResult {
  findings: Finding[];
  gaps: CoverageGap[];
  /** Per detector: finding count or the error. */
  perDetector: { id: string; findings: number; error?: string }[];
}

/** Stable fingerprint: same detector + subject ⇒ same id across runs. */
export function findingId(detector: string, subjectType: string, subjectId: string): string {
  return 'ssf-' + createHash('sha256').update(`${detector}\u0000${subjectType}\u0000${subjectId}`).digest('hex').slice(0, 20);
}

const duckType = { INTEGER, DOUBLE, VARCHAR, BOOLEAN, 'VARCHAR[]': LIST(VARCHAR) } as const;

/** Bound values for the `$name` parameters a detector's SQL uses. */
export function bindParams(det: Detector, opts: DetectOptions): Record<string, DuckDBValue> {
  const used = new Set([...det.sql.matchAll(/\$([a-z_][a-z0-9_]*)/g)].map((m) => m[1] as string));
  const values: Record<string, DuckDBValue> = {};
  const windowStart = new Date(opts.asOf.getTime() - opts.lookbackDays * 86_400_000);
  for (const name of used) {
    if (name === 'as_of') values[name] = jsToDuckDBValue(opts.asOf, TIMESTAMP);
    else if (name === 'window_start') values[name] = jsToDuckDBValue(windowStart, TIMESTAMP);
    else if (name === 'lookback_days' && !det.meta.params['lookback_days']) values[name] = jsToDuckDBValue(opts.lookbackDays, INTEGER);
    else {
      const p = det.meta.params[name];
      if (!p) throw new Error(`uses $${name}, which is neither a built-in ($as_of, $window_start, $lookback_days) nor declared in params`);
      const override = opts.params?.[`${det.meta.id}.${name}`] ?? opts.params?.[name];
      const v = override ?? p.default;
      values[name] = jsToDuckDBValue(coerce(v, p.type) as never, duckType[p.type]);
    }
  }
  return values;
}

function coerce(v: unknown, type: keyof typeof duckType): unknown {
  if (type === 'INTEGER') return Math.trunc(Number(v));
  if (type === 'DOUBLE') return Number(v);
  if (type === 'BOOLEAN') return v === true || v === 'true';
  if (type === 'VARCHAR[]') return Array.isArray(v) ? v.map(String) : String(v).split(',');
  return String(v);
}

function asSeverity(v: unknown, fallback: Severity): Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : fallback;
}

function commands(meta: DetectorMeta): string[] {
  const cli = meta.remediation.cli;
  return cli === undefined ? [] : Array.isArray(cli) ? cli : [cli];
}

/** Turn one detector output row into a finding (metadata from the detector, fingerprint added). */
export function toFinding(meta: DetectorMeta, row: Row): Finding {
  const subjectType = String(row['subject_type'] ?? 'identity');
  const subjectId = String(row['subject_id'] ?? '');
  let evidence = row['evidence'];
  if (typeof evidence === 'string') {
    try { evidence = JSON.parse(evidence); } catch { evidence = { text: evidence }; }
  }
  const ev = (evidence && typeof evidence === 'object' ? evidence : {}) as Record<string, unknown>;
  const cmds = commands(meta).flatMap((c) => fillAll(c, row));
  const extraCmds = Array.isArray(ev['commands']) ? (ev['commands'] as unknown[]).map(String) : [];
  return redactValue({
    id: findingId(meta.id, subjectType, subjectId),
    detector: meta.id,
    category: meta.category,
    severity: asSeverity(row['severity'], meta.severity),
    confidence: meta.confidence,
    title: meta.title,
    subject: {
      type: subjectType,
      id: subjectId,
      arn: (row['principal_arn'] as string | null) ?? null,
      account: (row['account_id'] as string | null) ?? null,
    },
    reason: String(row['reason'] ?? meta.summary),
    evidence: ev,
    remediation: { summary: meta.remediation.summary, steps: meta.remediation.steps, commands: [...extraCmds, ...cmds] },
    owasp_nhi: meta.mappings.owasp_nhi,
    mitre_attack: meta.mappings.mitre_attack,
    first_seen: (row['first_seen'] as string | null) ?? null,
    last_seen: (row['last_seen'] as string | null) ?? null,
  });
}

/**
 * A command that is exactly one `{field}` whose value is a list gives one command per item (none for an empty
 * list): a detector can build commands per row (e.g. one per policy to detach) and keep their place in the order.
 */
function fillAll(template: string, row: Row): string[] {
  const whole = /^\{([a-z_]+)\}$/.exec(template.trim());
  const v = whole ? row[whole[1]!] ?? ((row['evidence'] ?? {}) as Record<string, unknown>)[whole[1]!] : undefined;
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined && x !== '').map(String);
  return [fill(template, row)];
}

/** Fill `{column}` placeholders in a remediation command from the row (e.g. {subject_id}, {user_name}). */
function fill(template: string, row: Row): string {
  const ev = (row['evidence'] ?? {}) as Record<string, unknown>;
  return template.replace(/\{([a-z_]+)\}/g, (m, k: string) => {
    const v = row[k] ?? ev[k];
    return v === undefined || v === null ? m : String(v);
  });
}

/** Run every detector against the model; a failing detector is a coverage gap, not a dead scan. */
export async function runDetectors(store: Store, detectors: Detector[], opts: DetectOptions): Promise<DetectResult> {
  const result: DetectResult = { findings: [], gaps: [], perDetector: [] };
  for (const [n, det] of detectors.entries()) {
    opts.onDetector?.(det.meta.id, n);
    try {
      const rows = await store.all(det.sql, bindParams(det, opts) as never);
      const missing = rows.length > 0 ? DETECTOR_COLUMNS.filter((c) => !(c in (rows[0] as Row))) : [];
      if (missing.length > 0) throw new Error(`result lacks column(s) ${missing.join(', ')}`);
      const findings = rows.map((r) => toFinding(det.meta, r));
      result.findings.push(...findings);
      result.perDetector.push({ id: det.meta.id, findings: findings.length });
    } catch (e) {
      const error = redact(errorMessage(e)).split('\n')[0] ?? 'error';
      result.gaps.push({ source: `detector ${det.meta.id}`, detail: `failed: ${error}` });
      result.perDetector.push({ id: det.meta.id, findings: 0, error });
    }
  }
  if (detectors.length > 0) opts.onDetector?.(detectors[detectors.length - 1]!.meta.id, detectors.length);
  return result;
}
