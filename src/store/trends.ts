import type { TrendPoint } from '../core/catalogue.js';
import type { Store } from './db.js';

/**
 * Trends per completed run, oldest first, up to and including `uptoRunId` (default: all): identities by
 * classification, agents by registry status, findings by severity and by OWASP NHI risk. Read from the
 * per-run tables (run_inventory, run_findings), so it covers every run the database kept, daemon or scan.
 * Registry status is the inventory's `registry.status` when a registry was loaded; otherwise an agent
 * with an `unregistered` finding counts as unregistered and the rest as unknown.
 */
export async function trendSeries(store: Store, uptoRunId?: string): Promise<TrendPoint[]> {
  const runs = await store.all<{ id: string; as_of: string }>(`SELECT id, as_of FROM runs WHERE status = 'ok' ORDER BY started_at, id`);
  const end = uptoRunId ? runs.findIndex((r) => r.id === uptoRunId) : runs.length - 1;
  const chosen = runs.slice(0, end + 1);
  if (chosen.length === 0) return [];
  const group = async (sql: string): Promise<Map<string, Record<string, number>>> => {
    const out = new Map<string, Record<string, number>>();
    // Stable key order in the JSON: rows sorted here (GROUP BY returns them in any order).
    const rows = (await store.all<{ run_id: string; k: string | null; n: number }>(sql))
      .sort((a, b) => a.run_id.localeCompare(b.run_id) || (a.k ?? '').localeCompare(b.k ?? ''));
    for (const r of rows) {
      const m = out.get(r.run_id) ?? {};
      m[r.k ?? 'unknown'] = r.n;
      out.set(r.run_id, m);
    }
    return out;
  };
  const identities = await group('SELECT run_id, classification AS k, count(*) AS n FROM run_inventory GROUP BY ALL');
  const agents = await group(`
    SELECT i.run_id, coalesce(json_extract_string(i.body, '$.registry.status'),
      CASE WHEN f.subject_id IS NOT NULL THEN 'unregistered' ELSE 'unknown' END) AS k, count(*) AS n
    FROM run_inventory i
    LEFT JOIN (SELECT DISTINCT run_id, subject_id FROM run_findings WHERE category = 'unregistered') f
      ON f.run_id = i.run_id AND (f.subject_id = i.identity_id OR f.subject_id = json_extract_string(i.body, '$.arn'))
    WHERE i.classification = 'agent' GROUP BY ALL`);
  const severity = await group('SELECT run_id, severity AS k, count(*) AS n FROM run_findings GROUP BY ALL');
  const owasp = await group(`
    SELECT run_id, risk AS k, count(*) AS n
    FROM (SELECT run_id, unnest(CAST(json_extract(body, '$.owasp_nhi') AS VARCHAR[])) AS risk FROM run_findings)
    GROUP BY ALL`);
  return chosen.map((r) => ({
    run_id: r.id,
    as_of: r.as_of,
    identities_by_classification: identities.get(r.id) ?? {},
    agents_by_registry_status: agents.get(r.id) ?? {},
    findings_by_severity: severity.get(r.id) ?? {},
    findings_by_owasp_nhi: owasp.get(r.id) ?? {},
  }));
}
