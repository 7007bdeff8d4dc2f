import { LIST, VARCHAR, jsToDuckDBValue } from '@duckdb/node-api';
import type { HistoryPoint, TrendPoint } from '../kernel/catalogue.js';
import type { Store } from './db.js';

/**
 * Per-run counts, the one module: identities by classification, agents by registry status, findings by severity
 * and by OWASP NHI risk, read from the per-run tables (run_inventory, run_findings), so they cover every run the
 * database kept, daemon or scan. What the trend charts, `report --format json`, the HTML history chart, the
 * terminal UI's summary and the daemon's metrics after a restart show.
 * Registry status is the inventory's `registry.status` when a registry was loaded; otherwise an agent
 * with an `unregistered` finding counts as unregistered and the rest as unknown.
 */
async function countsOf(store: Store, runIds: string[]): Promise<Map<string, Omit<TrendPoint, 'run_id' | 'as_of'>>> {
  const ids = { ids: jsToDuckDBValue(runIds, LIST(VARCHAR)) };
  const group = async (sql: string): Promise<Map<string, Record<string, number>>> => {
    const out = new Map<string, Record<string, number>>();
    // Stable key order in the JSON: rows sorted here (GROUP BY returns them in any order).
    const rows = (await store.all<{ run_id: string; k: string | null; n: number }>(sql, ids))
      .sort((a, b) => a.run_id.localeCompare(b.run_id) || (a.k ?? '').localeCompare(b.k ?? ''));
    for (const r of rows) {
      const m = out.get(r.run_id) ?? {};
      m[r.k ?? 'unknown'] = r.n;
      out.set(r.run_id, m);
    }
    return out;
  };
  const identities = await group('SELECT run_id, classification AS k, count(*) AS n FROM run_inventory WHERE list_contains($ids, run_id) GROUP BY ALL');
  const agents = await group(`
    SELECT i.run_id, coalesce(json_extract_string(i.body, '$.registry.status'),
      CASE WHEN f.subject_id IS NOT NULL THEN 'unregistered' ELSE 'unknown' END) AS k, count(*) AS n
    FROM run_inventory i
    LEFT JOIN (SELECT DISTINCT run_id, subject_id FROM run_findings WHERE category = 'unregistered' AND list_contains($ids, run_id)) f
      ON f.run_id = i.run_id AND (f.subject_id = i.identity_id OR f.subject_id = json_extract_string(i.body, '$.arn'))
    WHERE i.classification = 'agent' AND list_contains($ids, i.run_id) GROUP BY ALL`);
  const severity = await group('SELECT run_id, severity AS k, count(*) AS n FROM run_findings WHERE list_contains($ids, run_id) GROUP BY ALL');
  const owasp = await group(`
    SELECT run_id, risk AS k, count(*) AS n
    FROM (SELECT run_id, unnest(CAST(json_extract(body, '$.owasp_nhi') AS VARCHAR[])) AS risk FROM run_findings WHERE list_contains($ids, run_id))
    GROUP BY ALL`);
  return new Map(runIds.map((id) => [id, {
    identities_by_classification: identities.get(id) ?? {},
    agents_by_registry_status: agents.get(id) ?? {},
    findings_by_severity: severity.get(id) ?? {},
    findings_by_owasp_nhi: owasp.get(id) ?? {},
  }]));
}

/** Trends per completed run, oldest first, up to and including `uptoRunId` (default: all). */
export async function trendSeries(store: Store, uptoRunId?: string): Promise<TrendPoint[]> {
  const runs = await store.all<{ id: string; as_of: string }>(`SELECT id, as_of FROM runs WHERE status = 'ok' ORDER BY started_at, id`);
  const end = uptoRunId ? runs.findIndex((r) => r.id === uptoRunId) : runs.length - 1;
  const chosen = runs.slice(0, end + 1);
  if (chosen.length === 0) return [];
  const counts = await countsOf(store, chosen.map((r) => r.id));
  return chosen.map((r) => ({ run_id: r.id, as_of: r.as_of, ...counts.get(r.id)! }));
}

/** The counts of one stored run (any status). */
export async function runCounts(store: Store, runId: string): Promise<Omit<TrendPoint, 'run_id' | 'as_of'>> {
  return (await countsOf(store, [runId])).get(runId)!;
}

const total = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);

/** The history chart's points (identities, agents, findings per run), from the trend points. */
export function historyOf(trends: TrendPoint[]): HistoryPoint[] {
  return trends.map((t) => ({
    run_id: t.run_id,
    as_of: t.as_of,
    identities: total(t.identities_by_classification),
    agents: t.identities_by_classification['agent'] ?? 0,
    findings: total(t.findings_by_severity),
  }));
}
