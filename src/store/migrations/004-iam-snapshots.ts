/**
 * Migration 4: when each account's IAM export was taken. A key seen acting in CloudTrail after that time but
 * absent from the export is new, not deleted (issue 13).
 */
export const migration = {
  version: 4,
  name: 'iam-snapshots',
  sql: `
CREATE TABLE iam_snapshots (run_id VARCHAR, account_id VARCHAR, snapshot_at TIMESTAMP, source VARCHAR);
`,
};
