import { isAbsolute, relative, sep } from 'node:path';
import type { Store } from '../store/db.js';
import { loadPeople } from '../store/load-people.js';
import type { PolicyRegistry } from './exceptions.js';
import { identityRefKind, type Policy, type Registry } from './registry.js';

/** Source prefix of people rows that come from a registry's `people:` list (`registry:<file>`). */
export const REGISTRY_PEOPLE_SOURCE = 'registry:';

/**
 * Load a validated registry (or none: the tables are emptied) before the model is built; the
 * registry model (model/registry/*.sql) runs as part of buildModel so every detector sees it.
 */
export async function loadRegistryTables(store: Store, runId: string, registry: Registry | undefined, exceptionPeople?: readonly string[]): Promise<void> {
  for (const t of ['registry_state', 'registry_agents', 'registry_identities', 'registry_roles', 'registry_tier_roles', 'registry_approvals', 'registry_tier_history']) await store.run(`DELETE FROM ${t}`);
  await store.run('DELETE FROM run_registry_agents WHERE run_id = $run', { run: runId });
  await store.run('DELETE FROM people WHERE starts_with(source, $s)', { s: REGISTRY_PEOPLE_SOURCE });
  if (registry) {
    // Findings point at file:line (SARIF locations, GitOps annotations): keep the path relative to the
    // working directory (the repository root in CI) when the file lies below it.
    const rel = isAbsolute(registry.file) ? relative(process.cwd(), registry.file) : registry.file;
    const file = rel.startsWith('..') || isAbsolute(rel) ? registry.file : rel.split(sep).join('/');
    const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
    await store.append('registry_state', ['source_file', 'agents', 'roster', 'policy', 'people', 'exception_people'],
      [[file, registry.agents.length, registry.people !== undefined, json(registry.policy), json(registry.people), json(exceptionPeople)]]);
    await store.append('registry_agents', ['agent_id', 'owner', 'purpose', 'tier', 'certified', 'source_file', 'line'],
      registry.agents.map((a) => [a.id, a.owner, a.purpose, a.tier, a.certified, file, a.line]));
    await store.append('registry_identities', ['agent_id', 'ref', 'ref_kind'],
      registry.agents.flatMap((a) => a.identities.map((ref) => [a.id, ref, identityRefKind(ref) ?? 'unknown'])));
    const policy = registry.policy;
    if (policy) {
      await store.append('registry_roles', ['role', 'person'], Object.entries(policy.roles).flatMap(([role, people]) => people.map((p) => [role, p])));
      await store.append('registry_tier_roles', ['tier', 'role', 'ord', 'usual_wait', 'exception_role'],
        (['1', '2', '3'] as const).flatMap((t) => policy.tiers[t].approvers.map((role, i) => [Number(t), role, i, policy.tiers[t].usual_wait ?? null, policy.tiers[t].exception_approver ?? null])));
    }
    await store.append('registry_approvals', ['agent_id', 'approver', 'role', 'tier', 'approved_on', 'line'],
      registry.agents.flatMap((a) => a.approvals.map((ap) => [a.id, ap.by, ap.role, ap.tier, ap.date, ap.line])));
    if (registry.people) await loadPeople(store, runId, { source: `${REGISTRY_PEOPLE_SOURCE}${file}`, people: registry.people });
    await recordTierHistory(store, runId);
  }
}

/**
 * Keep this run's entries (tier, identities) and find, for each entry loaded now, the latest earlier completed run
 * in which the same entry — the same id, or an entry listing one of the same identities — had a lower tier
 * (registry/approvals: a tier raised since that run needs approvals dated on or after it).
 * "Earlier" is every completed run other than `runId` that started no later than it (all of them when `runId` is not a run).
 */
async function recordTierHistory(store: Store, runId: string): Promise<void> {
  await store.run(`INSERT INTO run_registry_agents
    SELECT $run, a.agent_id, a.tier, coalesce((SELECT list(i.ref ORDER BY i.ref) FROM registry_identities i WHERE i.agent_id = a.agent_id), [])
    FROM registry_agents a`, { run: runId });
  await store.run(`INSERT INTO registry_tier_history
    WITH me AS (SELECT started_at FROM runs WHERE id = $run),
    earlier AS (
      SELECT id, as_of, started_at FROM runs
      WHERE status = 'ok' AND id <> $run AND (NOT EXISTS (SELECT 1 FROM me) OR started_at <= (SELECT started_at FROM me))
    ),
    cur AS (SELECT agent_id, tier, identities FROM run_registry_agents WHERE run_id = $run),
    lower AS (
      SELECT c.agent_id, e.id AS prev_run_id, e.as_of AS prev_as_of, e.started_at, max(h.tier) AS prev_tier
      FROM cur c
      JOIN run_registry_agents h ON h.agent_id = c.agent_id OR list_has_any(h.identities, c.identities)
      JOIN earlier e ON e.id = h.run_id
      GROUP BY c.agent_id, c.tier, e.id, e.as_of, e.started_at
      HAVING max(h.tier) < c.tier
    )
    SELECT agent_id, prev_run_id, prev_as_of, prev_tier FROM lower
    QUALIFY row_number() OVER (PARTITION BY agent_id ORDER BY started_at DESC, prev_run_id DESC) = 1`, { run: runId });
}

/** The parts of a stored scan's registry the exception rule reads, with the roster it checked approvers against. */
export interface StoredPolicyRegistry {
  registry: PolicyRegistry;
  /** The roster the scan checked exception approvers against; undefined: the registry's people. */
  exceptionPeople: string[] | undefined;
}

const parsed = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (typeof v === 'string' ? JSON.parse(v) as T : v as T));

/**
 * The registry the last scan loaded, as far as the exception rule needs it (policy, entries, people), read back
 * from the store; undefined when the scan had no registry or its registry has no approval policy (or the scan
 * predates migration 62, which keeps the policy).
 */
export async function storedPolicyRegistry(store: Store): Promise<StoredPolicyRegistry | undefined> {
  const st = await store.one<{ policy: unknown; people: unknown; exception_people: unknown }>(
    'SELECT policy::VARCHAR AS policy, people::VARCHAR AS people, exception_people::VARCHAR AS exception_people FROM registry_state LIMIT 1');
  const policy = parsed<Policy>(st?.policy);
  if (!st || !policy) return undefined;
  const agents = await store.all<{ id: string; owner: string; tier: number; identities: string[] }>(
    `SELECT a.agent_id AS id, a.owner, a.tier,
       coalesce((SELECT list(i.ref ORDER BY i.ref) FROM registry_identities i WHERE i.agent_id = a.agent_id), []) AS identities
     FROM registry_agents a ORDER BY a.line`);
  return {
    registry: { policy, people: parsed<string[]>(st.people), agents: agents.map((a) => ({ ...a, tier: a.tier as 1 | 2 | 3, identities: [...a.identities] })) },
    exceptionPeople: parsed<string[]>(st.exception_people),
  };
}
