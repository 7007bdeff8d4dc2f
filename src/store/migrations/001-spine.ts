/** Migration 1: the spine's tables (sources with provenance, reference data, per-run results). */
export const migration = {
  version: 1,
  name: 'spine',
  sql: `
CREATE TABLE runs (
  id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, as_of TIMESTAMP,
  lookback VARCHAR, sources JSON, counts JSON, status VARCHAR
);
CREATE TABLE coverage_gaps (run_id VARCHAR, source VARCHAR, detail VARCHAR);

-- One row per CloudTrail file read (provenance, and what later runs skip).
CREATE TABLE cloudtrail_files (
  file VARCHAR, run_id VARCHAR, records BIGINT, status VARCHAR, detail VARCHAR, loaded_at TIMESTAMP DEFAULT now()
);

-- CloudTrail, aggregated while reading: one row per hour x principal x long-term key x user agent
-- x source IP x event x error. Events detectors read one by one (IAM writes, sign-ins, role
-- assumptions, compute creation) keep one row each, with event_id and request/response bodies.
CREATE TABLE cloudtrail_events (
  run_id VARCHAR, source_file VARCHAR,
  event_hour TIMESTAMP, first_time TIMESTAMP, last_time TIMESTAMP, event_count BIGINT, event_id VARCHAR,
  event_source VARCHAR, event_name VARCHAR, aws_region VARCHAR, source_ip VARCHAR, user_agent VARCHAR,
  error_code VARCHAR, read_only BOOLEAN, event_type VARCHAR, recipient_account_id VARCHAR,
  vpc_endpoint_id VARCHAR, tls_host VARCHAR,
  identity_type VARCHAR, principal_arn VARCHAR, account_id VARCHAR, access_key_id VARCHAR,
  session_name VARCHAR, user_name VARCHAR, invoked_by VARCHAR, identity_provider VARCHAR,
  mfa_authenticated BOOLEAN, console_session BOOLEAN,
  request_parameters JSON, response_elements JSON
);

CREATE TABLE iam_principals (
  run_id VARCHAR, source_file VARCHAR, account_id VARCHAR, principal_type VARCHAR, name VARCHAR,
  arn VARCHAR, id VARCHAR, path VARCHAR, created_at TIMESTAMP, tags JSON, trust_policy JSON,
  role_last_used_at TIMESTAMP, role_last_used_region VARCHAR, permissions_boundary VARCHAR,
  groups JSON, attached_policies JSON
);
CREATE TABLE iam_access_keys (
  run_id VARCHAR, source_file VARCHAR, account_id VARCHAR, user_name VARCHAR, user_arn VARCHAR,
  access_key_id VARCHAR, status VARCHAR, created_at TIMESTAMP
);
CREATE TABLE iam_credential_report (
  run_id VARCHAR, source_file VARCHAR, account_id VARCHAR, user_name VARCHAR, arn VARCHAR,
  user_creation_time TIMESTAMP, password_enabled BOOLEAN, password_last_used TIMESTAMP, mfa_active BOOLEAN,
  key1_active BOOLEAN, key1_last_rotated TIMESTAMP, key1_last_used TIMESTAMP, key1_last_used_service VARCHAR,
  key2_active BOOLEAN, key2_last_rotated TIMESTAMP, key2_last_used TIMESTAMP, key2_last_used_service VARCHAR
);
CREATE TABLE grants (
  run_id VARCHAR, principal_arn VARCHAR, principal_type VARCHAR, account_id VARCHAR, action VARCHAR,
  service VARCHAR, access_level VARCHAR, resource VARCHAR, conditional BOOLEAN, source_policy VARCHAR,
  source_kind VARCHAR, pattern VARCHAR, via_not_action BOOLEAN, partially_denied BOOLEAN
);
CREATE TABLE trusts (
  run_id VARCHAR, role_arn VARCHAR, account_id VARCHAR, effect VARCHAR, principal_type VARCHAR,
  principal VARCHAR, actions JSON, condition_json JSON, has_external_id BOOLEAN, has_mfa_condition BOOLEAN,
  oidc_provider VARCHAR, oidc_aud JSON, oidc_sub JSON
);

-- Reference data (rewritten each scan).
CREATE TABLE ua_signatures (
  ord INTEGER, pattern VARCHAR, family VARCHAR, kind VARCHAR, label VARCHAR, strength VARCHAR
);
CREATE TABLE iam_actions (action VARCHAR, service VARCHAR, name VARCHAR, access_level VARCHAR);

-- Results, kept per run (history).
CREATE TABLE run_inventory (run_id VARCHAR, identity_id VARCHAR, classification VARCHAR, body JSON);
CREATE TABLE run_findings (
  run_id VARCHAR, finding_id VARCHAR, detector VARCHAR, category VARCHAR, severity VARCHAR,
  subject_id VARCHAR, body JSON
);
`,
};
