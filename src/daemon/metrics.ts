import { SEVERITIES, type Classification, type Severity } from '../kernel/types.js';
import type { SourceFreshness } from './sources.js';

/** What one run left behind, as the daemon reports it (healthz, metrics, logs). */
export interface RunSummary {
  id: string;
  status: 'ok' | 'failed' | 'abandoned';
  started_at: string;
  finished_at: string;
  duration_seconds: number;
  identities: Partial<Record<Classification, number>>;
  findings: Partial<Record<Severity, number>>;
  coverage_gaps: number;
  error?: string;
}

/** The daemon's state as seen from outside. */
export interface DaemonSnapshot {
  runs_total: Record<RunSummary['status'], number>;
  last_run: RunSummary | null;
  last_ok_run: RunSummary | null;
  running_since: string | null;
  next_run_at: string | null;
  lag_seconds: number;
  late: boolean;
  sink_backlog: Record<string, number>;
  /** Freshness of each source refreshed or tried so far (CloudTrail, IAM, GitHub). */
  sources: SourceFreshness[];
}

const CLASSIFICATIONS: readonly Classification[] = ['agent', 'workload', 'human', 'aws-service', 'unknown'];

/** Escape a Prometheus label value. */
function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function metric(out: string[], name: string, type: 'counter' | 'gauge', help: string, samples: [Record<string, string> | null, number][]): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  for (const [labels, value] of samples) {
    const l = labels && Object.keys(labels).length > 0
      ? `{${Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`).join(',')}}` : '';
    out.push(`${name}${l} ${Number.isFinite(value) ? value : 0}`);
  }
}

/** Render the snapshot in the Prometheus text exposition format (version 0.0.4). */
export function renderMetrics(s: DaemonSnapshot): string {
  const out: string[] = [];
  const ok = s.last_ok_run;
  metric(out, 'shadowscan_runs_total', 'counter', 'Runs finished, by outcome (ok, failed, abandoned), over the life of the database.',
    (['ok', 'failed', 'abandoned'] as const).map((st) => [{ status: st }, s.runs_total[st]]));
  metric(out, 'shadowscan_run_duration_seconds', 'gauge', 'Wall time of the last finished run.', [[null, s.last_run?.duration_seconds ?? 0]]);
  metric(out, 'shadowscan_last_run_timestamp_seconds', 'gauge', 'Unix time the last successful run finished (0: none yet).',
    [[null, ok ? Date.parse(ok.finished_at) / 1000 : 0]]);
  metric(out, 'shadowscan_last_run_success', 'gauge', '1 when the last finished run succeeded, 0 when it failed or was abandoned.',
    [[null, s.last_run ? (s.last_run.status === 'ok' ? 1 : 0) : 0]]);
  metric(out, 'shadowscan_schedule_lag_seconds', 'gauge', 'How far behind its schedule the daemon is (0 when on time).', [[null, s.lag_seconds]]);
  metric(out, 'shadowscan_identities', 'gauge', 'Identities in the last successful run, by classification.',
    CLASSIFICATIONS.map((c) => [{ classification: c }, ok?.identities[c] ?? 0]));
  metric(out, 'shadowscan_findings', 'gauge', 'Findings in the last successful run, by severity.',
    [...SEVERITIES].reverse().map((sev) => [{ severity: sev }, ok?.findings[sev] ?? 0]));
  metric(out, 'shadowscan_sink_backlog', 'gauge', 'Events in the outbox not yet acknowledged by the sink.',
    Object.entries(s.sink_backlog).sort(([a], [b]) => a.localeCompare(b)).map(([sink, n]) => [{ sink }, n]));
  metric(out, 'shadowscan_coverage_gaps', 'gauge', 'Coverage gaps (sources that could not be read) in the last successful run.', [[null, ok?.coverage_gaps ?? 0]]);
  // Per-source freshness: alert on a source that stopped refreshing, e.g.
  // time() - shadowscan_source_last_refresh_timestamp_seconds > 2 * shadowscan_source_refresh_interval_seconds + 1800
  metric(out, 'shadowscan_source_last_refresh_timestamp_seconds', 'gauge',
    'Unix time the source\'s data was last renewed: live, its last successful collection; --from, the newest file of the export (0: never).',
    s.sources.map((f) => [{ source: f.source }, f.last_refresh_at ? Date.parse(f.last_refresh_at) / 1000 : 0]));
  metric(out, 'shadowscan_source_refresh_interval_seconds', 'gauge', 'How often a live source is refreshed (--iam-every, --github-every; 0: every run).',
    s.sources.filter((f) => f.every_seconds !== null).map((f) => [{ source: f.source }, f.every_seconds ?? 0]));
  metric(out, 'shadowscan_source_refresh_failures', 'gauge', 'Consecutive failed refreshes of a live source (0 after a success).',
    s.sources.filter((f) => f.mode === 'live').map((f) => [{ source: f.source }, f.consecutive_failures]));
  return out.join('\n') + '\n';
}

/** The /healthz body and status code: 503 when the last run failed or the schedule is late. */
export function health(s: DaemonSnapshot, now: Date = new Date()): { code: number; body: Record<string, unknown> } {
  const failing = s.last_run !== null && s.last_run.status === 'failed';
  const status = failing ? 'failing' : s.late ? 'late' : s.last_run === null ? 'starting' : 'ok';
  return {
    code: failing || s.late ? 503 : 200,
    body: {
      status,
      last_run: s.last_run && {
        id: s.last_run.id, status: s.last_run.status, started_at: s.last_run.started_at, finished_at: s.last_run.finished_at,
        duration_seconds: s.last_run.duration_seconds, ...(s.last_run.error ? { error: s.last_run.error } : {}),
      },
      last_successful_run_at: s.last_ok_run?.finished_at ?? null,
      running_since: s.running_since,
      next_run_at: s.next_run_at,
      lag_seconds: s.lag_seconds,
      sink_backlog: s.sink_backlog,
      sources: Object.fromEntries(s.sources.map((f) => [f.source, {
        mode: f.mode, every_seconds: f.every_seconds, last_refresh_at: f.last_refresh_at,
        age_seconds: f.last_refresh_at ? Math.max(0, (now.getTime() - Date.parse(f.last_refresh_at)) / 1000) : null,
        last_attempt_at: f.last_attempt_at, consecutive_failures: f.consecutive_failures, ...(f.last_error ? { last_error: f.last_error } : {}), stale: f.stale,
      }])),
      stale_sources: s.sources.filter((f) => f.stale).map((f) => f.source),
    },
  };
}
