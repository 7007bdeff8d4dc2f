import { LIST, VARCHAR, jsToDuckDBValue, type DuckDBValue } from '@duckdb/node-api';
import { SEVERITY_ORDER } from '../kernel/types.js';
import type { Store } from './db.js';

/** `$severity_order` for SQL that sorts by severity: `list_position($severity_order, severity)`, critical first. */
export function severityOrderParam(): DuckDBValue {
  return jsToDuckDBValue([...SEVERITY_ORDER], LIST(VARCHAR));
}

/**
 * Granted permissions of one principal, summarised (from the `grants` table of its run): the one grant summary,
 * shown by the UI and `explain`, compared by `diff`. Grants partially denied (a Deny covers some resources) are left out.
 */
export interface GrantsSummary {
  /** Distinct actions allowed (not partially denied). */
  actions: number;
  /** Of those, write actions (access levels that change state: model object access_levels). Absent in runs stored before migration 82 had no run_grants row for it. */
  writes?: number;
  /** The policy action patterns the grants come from (`s3:Get*`, `*`, …), sorted; absent as `writes` is. */
  patterns?: string[];
  /** Distinct services those actions belong to. */
  services: number;
  /** Distinct actions per IAM access level (List, Read, Write, Permissions management, Tagging). */
  by_level: { level: string; actions: number }[];
  /** Policies the grants come from (first 20). */
  policies: string[];
  /** Wildcard patterns on all resources (`*`, `s3:*`, …) with their policy (first 10). */
  wildcards: string[];
  /** Used actions that are granted (the intersection), and the unused share of the grant. */
  used_granted: number;
  unused_share: number | null;
}

/** What one identity did in the run's window (from the `activity` table of its run). */
export interface ActivitySummary {
  calls: number;
  denied_calls: number;
  first_seen: string | null;
  last_seen: string | null;
  active_days: number;
  services: string[];
  actions_used: number;
  /** First 15 actions used, alphabetically. */
  sample_actions: string[];
  ua_families: string[];
  source_ips: number;
  llm_calls: number;
  console_logins: number;
}

/** Body of a `run_identity_summary` row (migration 80). */
export interface IdentitySummary {
  grants: GrantsSummary | null;
  activity: ActivitySummary | null;
}

/**
 * Keep a per-identity summary of grants and activity with the run (one INSERT … SELECT), and the UI's list rows. The source
 * tables are rewritten by the next scan; this is what the detail view of an older run reads.
 */
export async function persistIdentitySummaries(store: Store, runId: string): Promise<void> {
  await store.run(`INSERT INTO run_identity_summary
    WITH g AS (
      SELECT principal_arn, lower(action) AS action, any_value(service) AS service, any_value(access_level) AS access_level
      FROM grants WHERE NOT partially_denied GROUP BY principal_arn, lower(action)
    ),
    gs AS (
      SELECT principal_arn, count(*) AS actions, count(*) FILTER (WHERE access_level IN (SELECT access_level FROM access_levels WHERE writes)) AS writes,
        count(DISTINCT service) AS services, list(action) AS action_list
      FROM g GROUP BY principal_arn
    ),
    gl AS (
      SELECT principal_arn, list({'level': access_level, 'actions': n} ORDER BY access_level) AS by_level
      FROM (SELECT principal_arn, access_level, count(*) AS n FROM g GROUP BY ALL) GROUP BY principal_arn
    ),
    gp AS (
      SELECT principal_arn,
        list(DISTINCT source_policy ORDER BY source_policy)[1:20] AS policies,
        list_sort(list(DISTINCT pattern) FILTER (WHERE pattern IS NOT NULL)) AS patterns,
        list(DISTINCT pattern || ' via ' || source_policy ORDER BY pattern || ' via ' || source_policy)
          FILTER (WHERE resource = '*' AND (pattern IN ('*', '*:*') OR pattern LIKE '%:*' OR via_not_action))[1:10] AS wildcards
      FROM grants WHERE NOT partially_denied GROUP BY principal_arn
    ),
    a AS (SELECT * FROM activity_v)
    SELECT $run, i.id, to_json({
      'grants': CASE WHEN gs.principal_arn IS NULL THEN NULL ELSE {
        'actions': gs.actions, 'writes': gs.writes, 'patterns': coalesce(gp.patterns, []), 'services': gs.services, 'by_level': gl.by_level,
        'policies': coalesce(gp.policies, []), 'wildcards': coalesce(gp.wildcards, []),
        'used_granted': len(list_intersect(list_transform(coalesce(a.actions_used, []), x -> lower(x)), gs.action_list)),
        'unused_share': CASE WHEN gs.actions = 0 THEN NULL
          ELSE round(1 - len(list_intersect(list_transform(coalesce(a.actions_used, []), x -> lower(x)), gs.action_list)) / gs.actions, 4) END
      } END,
      'activity': CASE WHEN a.subject_id IS NULL THEN NULL ELSE {
        'calls': a.calls, 'denied_calls': a.denied_calls, 'first_seen': a.first_seen, 'last_seen': a.last_seen,
        'active_days': a.active_days, 'services': a.services, 'actions_used': len(coalesce(a.actions_used, [])),
        'sample_actions': coalesce(a.actions_used, [])[1:15], 'ua_families': list_filter(a.ua_families, x -> x IS NOT NULL),
        'source_ips': a.source_ips, 'llm_calls': a.llm_calls, 'console_logins': a.console_logins
      } END
    })
    FROM identities i
    LEFT JOIN gs ON gs.principal_arn = i.arn AND i.kind IN ('iam-user', 'iam-role')
    LEFT JOIN gl ON gl.principal_arn = gs.principal_arn
    LEFT JOIN gp ON gp.principal_arn = gs.principal_arn
    LEFT JOIN a ON a.subject_id = i.id AND a.subject_type = CASE WHEN i.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE gs.principal_arn IS NOT NULL OR a.subject_id IS NOT NULL`, { run: runId });
  await persistUiRows(store, runId);
}

/**
 * Write the run's list rows for the terminal UI (migration 81): the Inventory and Findings columns read once
 * from the JSON bodies, plus a lower-case search text (name, ARN, id, owner, finding categories). Idempotent.
 */
export async function persistUiRows(store: Store, runId: string): Promise<void> {
  const p = { run: runId };
  await store.run('DELETE FROM ui_inventory WHERE run_id = $run', p);
  await store.run('DELETE FROM ui_findings WHERE run_id = $run', p);
  await store.run(`INSERT INTO ui_inventory
    WITH cats AS (
      SELECT subject_id, string_agg(DISTINCT category, ' ') AS categories FROM run_findings WHERE run_id = $run GROUP BY subject_id
    ),
    inv AS (
      SELECT identity_id AS id, classification,
        json_extract_string(body, '$.kind') AS kind, json_extract_string(body, '$.name') AS name,
        json_extract_string(body, '$.arn') AS arn, json_extract_string(body, '$.account') AS account,
        json_extract_string(body, '$.owner.value') AS owner, json_extract_string(body, '$.owner.source') AS owner_source,
        CAST(json_extract(body, '$.risk_score') AS INTEGER) AS risk_score,
        CAST(json_array_length(body, '$.finding_ids') AS INTEGER) AS finding_count
      FROM run_inventory WHERE run_id = $run
    )
    SELECT $run, inv.id, kind, classification, name, arn, account, owner, owner_source, risk_score, finding_count,
      lower(concat_ws(' ', name, arn, inv.id, owner, cats.categories))
    FROM inv LEFT JOIN cats ON cats.subject_id = inv.id`, p);
  await store.run(`INSERT INTO ui_findings
    WITH inv AS (SELECT id, name, owner FROM ui_inventory WHERE run_id = $run)
    SELECT $run, f.finding_id, f.severity,
      coalesce(list_position($severity_order, f.severity) - 1, 4),
      f.category, f.detector, f.subject_id, f.subject, f.reason,
      lower(concat_ws(' ', f.subject, f.subject_id, f.category, f.detector, inv.name, inv.owner))
    FROM (
      SELECT finding_id, severity, category, detector, subject_id, json_extract_string(body, '$.reason') AS reason,
        coalesce(CASE WHEN json_extract_string(body, '$.subject.type') = 'access-key' THEN subject_id END,
          json_extract_string(body, '$.subject.arn'), subject_id) AS subject
      FROM run_findings WHERE run_id = $run
    ) f
    LEFT JOIN inv ON inv.id = f.subject_id`, { ...p, severity_order: severityOrderParam() });
}
