/**
 * Migration 90: what the daemon (issue 9) keeps between runs — which source files it has already
 * ingested, when each source was last refreshed, and the outbox of lifecycle events per sink.
 */
export const migration = {
  version: 90,
  name: 'daemon',
  sql: `
-- One row per source file ingested incrementally; (path, size, mtime) decides "already seen".
-- Written in the same transaction as the file's rows in cloudtrail_events, so a crash never double-ingests.
CREATE TABLE ingested_files (
  path VARCHAR, kind VARCHAR, size BIGINT, mtime_ms BIGINT, run_id VARCHAR, records BIGINT, status VARCHAR,
  ingested_at TIMESTAMP DEFAULT now()
);
-- Small key/value state: last IAM / GitHub refresh, and the like.
CREATE TABLE daemon_state (key VARCHAR, value VARCHAR, updated_at TIMESTAMP DEFAULT now());

-- Lifecycle events waiting for (or already given to) each sink. Rows are written in the transaction that
-- stores the run's results and marked delivered only after the sink acknowledged them.
CREATE SEQUENCE outbox_seq;
CREATE TABLE outbox (
  id BIGINT DEFAULT nextval('outbox_seq'), sink VARCHAR, run_id VARCHAR, event_type VARCHAR, finding_id VARCHAR,
  body JSON, created_at TIMESTAMP DEFAULT now(), attempts INTEGER DEFAULT 0, next_attempt_at TIMESTAMP,
  last_error VARCHAR, delivered_at TIMESTAMP
);
`,
};
