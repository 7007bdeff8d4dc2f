/**
 * Migration 80 (UI): a per-run, per-identity summary of grants and activity. The `grants` and
 * `activity` tables hold only the latest snapshot, so the detail view of an older run reads this.
 */
export const migration = {
  version: 80,
  name: 'ui-identity-summary',
  sql: `
CREATE TABLE run_identity_summary (run_id VARCHAR, identity_id VARCHAR, body JSON);
`,
};
