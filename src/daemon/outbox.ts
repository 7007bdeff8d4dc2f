import { emptyRunCounts, type RunInfo } from '../kernel/types.js';
import type { Store } from '../store/db.js';
import type { SinkEvent } from '../sinks/types.js';

/** One undelivered outbox row. */
export interface OutboxRow {
  id: number;
  run_id: string;
  event: SinkEvent;
}

/**
 * Queue events for every sink (call inside the transaction that stores the run, so a run's results
 * and its outbox commit together or not at all).
 */
export async function enqueue(store: Store, events: SinkEvent[], sinks: string[]): Promise<number> {
  if (events.length === 0 || sinks.length === 0) return 0;
  await store.run('CREATE OR REPLACE TEMP TABLE outbox_stage (seq BIGINT, sink VARCHAR, run_id VARCHAR, event_type VARCHAR, finding_id VARCHAR, body VARCHAR)');
  let seq = 0;
  const rows: unknown[][] = [];
  for (const sink of sinks) for (const e of events) rows.push([seq++, sink, e.run_id, e.type, e.finding.id, JSON.stringify(e)]);
  await store.append('outbox_stage', ['seq', 'sink', 'run_id', 'event_type', 'finding_id', 'body'], rows);
  // Ids carry the delivery order; they are assigned explicitly (only the run's connection inserts here, in
  // its transaction) because DuckDB does not promise to draw sequence values in ORDER BY order.
  await store.run(`INSERT INTO outbox (id, sink, run_id, event_type, finding_id, body)
    SELECT (SELECT coalesce(max(id), 0) FROM outbox) + 1 + seq, sink, run_id, event_type, finding_id, body::JSON FROM outbox_stage`);
  await store.run('DROP TABLE outbox_stage');
  return rows.length;
}

/** The oldest undelivered events of a sink, in order. */
export async function pending(store: Store, sink: string, limit: number): Promise<OutboxRow[]> {
  const rows = await store.all<{ id: number; run_id: string; body: unknown }>(
    `SELECT id, run_id, body FROM outbox WHERE sink = $s AND delivered_at IS NULL ORDER BY id LIMIT ${Math.max(1, Math.trunc(limit))}`, { s: sink });
  return rows.map((r) => ({ id: r.id, run_id: r.run_id, event: (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as SinkEvent }));
}

const idList = (ids: number[]): string => ids.map((i) => String(Math.trunc(Number(i)))).join(', ');

/** Mark rows delivered (only after the sink acknowledged them). */
export async function markDelivered(store: Store, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await store.run(`UPDATE outbox SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id IN (${idList(ids)})`);
}

/** Record a failed attempt on rows (they stay pending). */
export async function markFailed(store: Store, ids: number[], error: string, retryAt: Date): Promise<void> {
  if (ids.length === 0) return;
  await store.run(`UPDATE outbox SET attempts = attempts + 1, last_error = $e, next_attempt_at = $t::TIMESTAMP WHERE id IN (${idList(ids)})`,
    { e: error.slice(0, 500), t: retryAt.toISOString().replace('Z', '') });
}

/** Undelivered events per sink. */
export async function backlog(store: Store): Promise<Map<string, number>> {
  const rows = await store.all<{ sink: string; n: number }>('SELECT sink, count(*) AS n FROM outbox WHERE delivered_at IS NULL GROUP BY sink');
  return new Map(rows.map((r) => [r.sink, r.n]));
}

/** The run an event belongs to, as sinks need it (OCSF time and metadata); coverage gaps left out. */
export async function runInfo(store: Store, runId: string): Promise<RunInfo> {
  const r = await store.one<{ id: string; started_at: string; finished_at: string | null; as_of: string; lookback: string; sources: unknown; counts: unknown }>(
    'SELECT id, started_at, finished_at, as_of, lookback, sources, counts FROM runs WHERE id = $id', { id: runId });
  const json = <T>(v: unknown, d: T): T => (typeof v === 'string' ? JSON.parse(v) as T : (v as T) ?? d);
  return {
    id: runId,
    started_at: r?.started_at ?? new Date(0).toISOString(),
    finished_at: r?.finished_at ?? r?.started_at ?? new Date(0).toISOString(),
    as_of: r?.as_of ?? new Date(0).toISOString(),
    lookback: r?.lookback ?? '',
    sources: json<string[]>(r?.sources, []),
    counts: emptyRunCounts(json<Partial<RunInfo['counts']>>(r?.counts, {})),
    coverage_gaps: [],
  };
}
