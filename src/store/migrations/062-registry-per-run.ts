/**
 * Migration 62: what a re-evaluation and the next run need of a scan's registry.
 * - registry_state keeps the approval policy and the people the exception rule checked approvers against, so
 *   `explain` / `registry suggest` over the stored scan apply the same exception rule as the scan did.
 * - run_registry_agents keeps each run's registry entries (tier and identities), so a later run can tell that an
 *   entry's tier was raised since, and registry_tier_history holds, for the registry loaded now, the latest
 *   earlier completed run in which the same entry (same id, or one of the same identities) had a lower tier.
 */
export const migration = {
  version: 62,
  name: 'registry-per-run',
  sql: `
ALTER TABLE registry_state ADD COLUMN policy JSON;
-- the registry file's people: list (NULL when it has none)
ALTER TABLE registry_state ADD COLUMN people JSON;
-- the roster exception approvers were checked against (NULL: the registry's people)
ALTER TABLE registry_state ADD COLUMN exception_people JSON;
CREATE TABLE run_registry_agents (run_id VARCHAR, agent_id VARCHAR, tier INTEGER, identities VARCHAR[]);
CREATE TABLE registry_tier_history (agent_id VARCHAR, prev_run_id VARCHAR, prev_as_of TIMESTAMP, prev_tier INTEGER);
`,
};
