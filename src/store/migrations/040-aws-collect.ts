/**
 * Migration 40: state of live AWS collection (issue 4), so re-runs fetch only what is new.
 * Keyed by the output directory: the same database can feed several export folders.
 */
export const migration = {
  version: 40,
  name: 'aws-collect-state',
  sql: `
-- One row per CloudTrail S3 object already in the local content cache (key + ETag).
CREATE TABLE aws_s3_objects (
  out_dir VARCHAR, bucket VARCHAR, key VARCHAR, etag VARCHAR, size BIGINT, last_modified TIMESTAMP,
  local_path VARCHAR, fetched_at TIMESTAMP DEFAULT now()
);
-- LookupEvents: time ranges fully collected per account and region (JSON [[from_ms, to_ms], ...]).
CREATE TABLE aws_lookup_coverage (
  out_dir VARCHAR, account_id VARCHAR, region VARCHAR, ranges JSON, updated_at TIMESTAMP DEFAULT now()
);
-- LookupEvents: every event id already written, so boundaries re-read on resume are never duplicated.
CREATE TABLE aws_lookup_seen (
  out_dir VARCHAR, account_id VARCHAR, region VARCHAR, event_id VARCHAR, event_time TIMESTAMP
);
`,
};
