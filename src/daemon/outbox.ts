import type { Finding, ScanReport } from '../core/types.js';
import type { Store } from '../store/db.js';
import type { SinkEvent } from '../sinks/types.js';

/** One undelivered outbox row. */
export interface OutboxRow {
  id: number;
  event: SinkEvent;
}

/** Findings of the newest completed run (the one the next run is diffed against), or null when none. */
export async function previousRun(store: Store): Promise<{ run_id: string; findings: Finding[] } | null> {
  const run = await store.one<{ id: string }>(`SELECT id FROM runs WHERE status = 'ok' ORDER BY started_at DESC, id DESC LIMIT 1`);
  if (!run) return null;
  const rows = await store.all<{ body: unknown }>('SELECT body FROM run_findings WHERE run_id = $id ORDER BY rowid', { id: run.id });
  return { run_id: run.id, findings: rows.map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as Finding) };
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
  await store.run(`INSERT INTO outbox (sink, run_id, event_type, finding_id, body)
    SELECT sink, run_id, event_type, finding_id, body::JSON FROM outbox_stage ORDER BY seq`);
  await store.run('DROP TABLE outbox_stage');
  return rows.length;
}

/** The oldest undelivered events of a sink, in order. */
export async function pending(store: Store, sink: string, limit: number): Promise<OutboxRow[]> {
  const rows = await store.all<{ id: number; body: unknown }>(
    `SELECT id, body FROM outbox WHERE sink = $s AND delivered_at IS NULL ORDER BY id LIMIT ${Math.max(1, Math.trunc(limit))}`, { s: sink });
  return rows.map((r) => ({ id: r.id, event: (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as SinkEvent }));
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

/** New, resolved and changed findings of `report` against the previous run's findings (null: all are new). */
export function lifecycleEvents(previous: Finding[] | null, report: ScanReport): SinkEvent[] {
  const prev = new Map((previous ?? []).map((f) => [f.id, f]));
  const cur = new Set(report.findings.map((f) => f.id));
  const run_id = report.run.id;
  const out: SinkEvent[] = [];
  for (const f of report.findings) {
    const p = prev.get(f.id);
    if (!p) { out.push({ type: 'finding.new', run_id, finding: f }); continue; }
    const changes: string[] = [];
    if (p.severity !== f.severity) changes.push(`severity ${p.severity} → ${f.severity}`);
    if (p.confidence !== f.confidence) changes.push(`confidence ${p.confidence} → ${f.confidence}`);
    if (changes.length > 0) out.push({ type: 'finding.changed', run_id, finding: f, changes });
  }
  for (const p of previous ?? []) if (!cur.has(p.id)) out.push({ type: 'finding.resolved', run_id, finding: p });
  return out;
}
