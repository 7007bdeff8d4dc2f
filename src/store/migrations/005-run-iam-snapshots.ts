/**
 * Migration 5: each run's IAM snapshot times kept with the run's history (iam_snapshots is raw data, replaced by
 * the next load), so `report --run` renders an older run as scan wrote it.
 */
export const migration = {
  version: 5,
  name: 'run-iam-snapshots',
  sql: `
CREATE TABLE run_iam_snapshots (run_id VARCHAR, seq INTEGER, account_id VARCHAR, snapshot_at VARCHAR);
`,
};
