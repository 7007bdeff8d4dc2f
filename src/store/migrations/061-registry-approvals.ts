/**
 * Migration 61: the registry's approval policy and each entry's approvals (reloaded from --registry each scan),
 * so registry/approvals and registry/tier-violation can say which sign-offs a tier needs and which are missing.
 */
export const migration = {
  version: 61,
  name: 'registry-approvals',
  sql: `
-- policy.roles: who holds each role (one row per person and role).
CREATE TABLE registry_roles (role VARCHAR, person VARCHAR);
-- policy.tiers: the roles each tier requires (one row per tier and role), with the usual wait and the exception approver.
CREATE TABLE registry_tier_roles (tier INTEGER, role VARCHAR, ord INTEGER, usual_wait VARCHAR, exception_role VARCHAR);
-- agents[].approvals: who approved which entry, in which role, for which tier, when; line in the file.
CREATE TABLE registry_approvals (agent_id VARCHAR, approver VARCHAR, role VARCHAR, tier INTEGER, approved_on DATE, line INTEGER);
`,
};
