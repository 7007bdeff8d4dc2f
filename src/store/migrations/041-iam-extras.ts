/**
 * Migration 41: IAM sources added by live collection (issue 4): access-key last use
 * (GetAccessKeyLastUsed), OIDC providers, service-specific credentials (Bedrock API keys).
 */
export const migration = {
  version: 41,
  name: 'iam-extras',
  sql: `
ALTER TABLE iam_access_keys ADD COLUMN last_used_at TIMESTAMP;
ALTER TABLE iam_access_keys ADD COLUMN last_used_service VARCHAR;
ALTER TABLE iam_access_keys ADD COLUMN last_used_region VARCHAR;
CREATE TABLE iam_oidc_providers (
  run_id VARCHAR, source_file VARCHAR, account_id VARCHAR, arn VARCHAR, url VARCHAR,
  client_ids JSON, thumbprints JSON, created_at TIMESTAMP, tags JSON
);
CREATE TABLE iam_service_credentials (
  run_id VARCHAR, source_file VARCHAR, account_id VARCHAR, user_name VARCHAR, user_arn VARCHAR,
  credential_id VARCHAR, service_name VARCHAR, service_user_name VARCHAR, alias VARCHAR, status VARCHAR,
  created_at TIMESTAMP, expires_at TIMESTAMP
);
`,
};
