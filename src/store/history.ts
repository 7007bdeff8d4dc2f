import { SCHEMA_VERSION, emptyRunCounts, type CoverageGap, type Finding, type InventoryItem, type RunInfo, type ScanReport, type SuppressedFinding } from '../kernel/types.js';
import type { DetectorInfo } from '../kernel/catalogue.js';
import type { DiffSide, GrantSummary } from '../kernel/types.js';
import type { Store } from './db.js';
import type { GrantsSummary } from './run-summary.js';

/** A stored run, as listed. */
export interface RunRow {
  id: string;
  started_at: string;
  finished_at: string | null;
  as_of: string;
  lookback: string;
  status: string;
  counts: RunInfo['counts'] | null;
}


function json<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'string') {
    try { return JSON.parse(v) as T; } catch { return fallback; }
  }
  return v as T;
}

/** Keep what history needs of the run being persisted (call inside the persist transaction). */
export async function persistRunHistory(store: Store, runId: string, detectors: DetectorInfo[]): Promise<void> {
  await store.append('run_detectors', ['run_id', 'detector_id', 'body'], detectors.map((d) => [runId, d.id, JSON.stringify(d)]));
  await store.run(`INSERT INTO run_iam_snapshots
    SELECT $id, row_number() OVER (ORDER BY rowid)::INTEGER, account_id, strftime(snapshot_at, '%Y-%m-%dT%H:%M:%S.%g') || 'Z'
    FROM iam_snapshots`, { id: runId });
}

/** Completed runs, oldest first. */
export async function listRuns(store: Store): Promise<RunRow[]> {
  const rows = await store.all<RunRow & { counts: unknown }>(
    `SELECT id, started_at, finished_at, as_of, lookback, status, counts FROM runs WHERE status = 'ok' ORDER BY started_at, id`);
  return rows.map((r) => ({ ...r, counts: json(r.counts, null) }));
}

/** The newest completed run, or null when the database has none. */
export async function latestRunId(store: Store): Promise<string | null> {
  const runs = await listRuns(store);
  return runs.at(-1)?.id ?? null;
}

/** The completed run before `runId`, or null. */
export async function previousRunId(store: Store, runId: string): Promise<string | null> {
  const runs = await listRuns(store);
  const i = runs.findIndex((r) => r.id === runId);
  return i > 0 ? runs[i - 1]!.id : null;
}

/** Does a completed run with this id exist? */
export async function runExists(store: Store, runId: string): Promise<boolean> {
  return (await listRuns(store)).some((r) => r.id === runId);
}

/** Rebuild the report document of a stored run, exactly as the scan produced it. */
export async function loadReport(store: Store, runId: string): Promise<ScanReport | null> {
  const run = await store.one<{ id: string; started_at: string; finished_at: string; as_of: string; lookback: string; sources: unknown; counts: unknown }>(
    'SELECT id, started_at, finished_at, as_of, lookback, sources, counts FROM runs WHERE id = $id', { id: runId });
  if (!run) return null;
  const gaps = await store.all<CoverageGap>('SELECT source, detail FROM coverage_gaps WHERE run_id = $id ORDER BY rowid', { id: runId });
  const findings = (await store.all<{ body: unknown }>('SELECT body FROM run_findings WHERE run_id = $id ORDER BY rowid', { id: runId }))
    .map((r) => json<Finding>(r.body, null as never));
  const inventory = (await store.all<{ body: unknown }>('SELECT body FROM run_inventory WHERE run_id = $id ORDER BY rowid', { id: runId }))
    .map((r) => json<InventoryItem>(r.body, null as never));
  const suppressed = (await store.all<{ body: unknown; exception: unknown }>('SELECT body, exception FROM run_suppressed WHERE run_id = $id ORDER BY rowid', { id: runId }))
    .map((r) => ({ finding: json<Finding>(r.body, null as never), exception: json<SuppressedFinding['exception']>(r.exception, null as never) }));
  const counts = emptyRunCounts({ identities: inventory.length, findings: findings.length, ...json<Partial<RunInfo['counts']>>(run.counts, {}) });
  // As the pipeline reported them: each account's IAM snapshot time, in load order, ISO with milliseconds.
  const snapshots = await store.all<{ account: string; at: string }>(
    'SELECT account_id AS account, snapshot_at AS at FROM run_iam_snapshots WHERE run_id = $id ORDER BY seq', { id: runId });
  return {
    schema_version: SCHEMA_VERSION,
    run: {
      id: run.id,
      started_at: run.started_at,
      finished_at: run.finished_at ?? run.started_at,
      as_of: run.as_of,
      lookback: run.lookback,
      sources: json<string[]>(run.sources, []),
      counts,
      coverage_gaps: gaps.map((g) => ({ source: g.source, detail: g.detail })),
      iam_snapshots: snapshots.map((x) => ({ account: x.account, at: x.at })),
    },
    inventory,
    findings,
    suppressed,
  };
}

/** One side of a diff from a stored run: its report and grant summaries (null when no such run is stored). */
export async function loadDiffSide(store: Store, runId: string): Promise<DiffSide | null> {
  const report = await loadReport(store, runId);
  return report ? { report, grants: await loadGrantSummaries(store, runId) } : null;
}

/** The detector catalogue stored with a run (empty for runs stored before migration 70). */
export async function loadCatalogue(store: Store, runId: string): Promise<DetectorInfo[]> {
  const rows = await store.all<{ body: unknown }>('SELECT body FROM run_detectors WHERE run_id = $id ORDER BY detector_id', { id: runId });
  return rows.map((r) => json<DetectorInfo>(r.body, null as never));
}

/** Grant summaries per identity of a run: the `grants` of its identity summaries (src/store/run-summary.ts), the one source. */
export async function loadGrantSummaries(store: Store, runId: string): Promise<Map<string, GrantSummary>> {
  const rows = await store.all<{ identity_id: string; grants: unknown }>(
    `SELECT identity_id, json_extract(body, '$.grants') AS grants FROM run_identity_summary
     WHERE run_id = $id AND json_type(body, '$.grants') = 'OBJECT'`, { id: runId });
  return new Map(rows.map((r) => {
    const g = json<Partial<GrantsSummary>>(r.grants, {});
    return [r.identity_id, { action_count: g.actions ?? 0, write_count: g.writes ?? 0, patterns: g.patterns ?? [] }];
  }));
}
