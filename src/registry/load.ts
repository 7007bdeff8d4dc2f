import { isAbsolute, relative, sep } from 'node:path';
import type { Store } from '../store/db.js';
import { loadPeople } from '../store/load-people.js';
import { identityRefKind, type Registry } from './registry.js';

/** Source prefix of people rows that come from a registry's `people:` list (`registry:<file>`). */
export const REGISTRY_PEOPLE_SOURCE = 'registry:';

/**
 * Load a validated registry (or none: the tables are emptied) before the model is built; the
 * registry model (model/registry/*.sql) runs as part of buildModel so every detector sees it.
 */
export async function loadRegistryTables(store: Store, runId: string, registry: Registry | undefined): Promise<void> {
  for (const t of ['registry_state', 'registry_agents', 'registry_identities', 'registry_roles', 'registry_tier_roles', 'registry_approvals']) await store.run(`DELETE FROM ${t}`);
  await store.run('DELETE FROM people WHERE starts_with(source, $s)', { s: REGISTRY_PEOPLE_SOURCE });
  if (registry) {
    // Findings point at file:line (SARIF locations, GitOps annotations): keep the path relative to the
    // working directory (the repository root in CI) when the file lies below it.
    const rel = isAbsolute(registry.file) ? relative(process.cwd(), registry.file) : registry.file;
    const file = rel.startsWith('..') || isAbsolute(rel) ? registry.file : rel.split(sep).join('/');
    await store.append('registry_state', ['source_file', 'agents', 'roster'], [[file, registry.agents.length, registry.people !== undefined]]);
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
  }
}
