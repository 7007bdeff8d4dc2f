import type { Migration } from './types.js';

/** Escalation graph: the policies it evaluates (raw, loaded with IAM) and what it found (model, src/inventory/privesc-graph.ts). */
export const migration: Migration = {
  version: 36,
  name: 'privesc-graph',
  sql: `
-- Every policy that applies to a principal or group, with its parsed statements (JSON text), plus a user's
-- groups and a role's instance profiles (statements NULL). Filled by loadIam; read by the escalation graph.
CREATE TABLE iam_policy_documents (
  run_id VARCHAR, principal_arn VARCHAR, principal_type VARCHAR, account_id VARCHAR,
  source_policy VARCHAR, source_kind VARCHAR, statements VARCHAR
);

-- Escalation paths found at model time: one row per (principal, path); the hops in privesc_hops.
-- path is the method ids of the hops joined by ' > '; conditional: some hop holds only under conditions the scan cannot decide.
CREATE TABLE privesc_found (
  principal_arn VARCHAR, account_id VARCHAR, path_no INTEGER, path VARCHAR, hops INTEGER,
  severity VARCHAR, conditional BOOLEAN, target_arn VARCHAR, target_admin VARCHAR
);
-- permissions and conditions are JSON lists of strings; observed: a CloudTrail AssumeRole of this hop was seen.
CREATE TABLE privesc_hops (
  principal_arn VARCHAR, path_no INTEGER, hop_no INTEGER, from_arn VARCHAR, to_arn VARCHAR, method VARCHAR,
  title VARCHAR, permissions VARCHAR, conditions VARCHAR, observed BOOLEAN, reference VARCHAR
);
`,
};
