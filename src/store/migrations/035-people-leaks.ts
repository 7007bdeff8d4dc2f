/**
 * Migration 35: inputs the behaviour detectors read besides CloudTrail and IAM.
 * `people` is the roster of current people (from `--people FILE`, later the registry's `people:`
 * list); `leak_reports` holds access key ids found by secret scanners (never the secret values).
 */
export const migration = {
  version: 35,
  name: 'people-and-leak-reports',
  sql: `
CREATE TABLE people (
  run_id VARCHAR, source VARCHAR, person VARCHAR
);
CREATE TABLE leak_reports (
  run_id VARCHAR, source_file VARCHAR, tool VARCHAR, access_key_id VARCHAR, leaked_at TIMESTAMP,
  location VARCHAR, rule VARCHAR, verified BOOLEAN
);
`,
};
