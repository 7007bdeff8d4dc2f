/** Migration 50: GitHub source tables (issue 5). Bodies come from DIR/github/<org>/ (src/store/github-layout.ts). */
export const migration = {
  version: 50,
  name: 'github',
  sql: `
CREATE TABLE github_repos (
  run_id VARCHAR, source_file VARCHAR, org VARCHAR, repo VARCHAR, full_name VARCHAR, id BIGINT,
  private BOOLEAN, visibility VARCHAR, archived BOOLEAN, fork BOOLEAN, default_branch VARCHAR,
  created_at TIMESTAMP, pushed_at TIMESTAMP, updated_at TIMESTAMP
);
CREATE TABLE github_members (run_id VARCHAR, source_file VARCHAR, org VARCHAR, login VARCHAR, id BIGINT, type VARCHAR);
-- Actions secrets: names and dates only (values are never readable). scope: org | repo | environment.
CREATE TABLE github_secrets (
  run_id VARCHAR, source_file VARCHAR, org VARCHAR, scope VARCHAR, repo VARCHAR, environment VARCHAR, name VARCHAR,
  created_at TIMESTAMP, updated_at TIMESTAMP, visibility VARCHAR, selected_repos VARCHAR[],
  credential_type VARCHAR  -- from the name (src/github-workflow/agent-tools.ts): aws-static-key | llm-provider | NULL
);
CREATE TABLE github_deploy_keys (
  run_id VARCHAR, source_file VARCHAR, org VARCHAR, repo VARCHAR, id BIGINT, title VARCHAR, read_only BOOLEAN,
  verified BOOLEAN, created_at TIMESTAMP, last_used TIMESTAMP, added_by VARCHAR
);
CREATE TABLE github_installations (
  run_id VARCHAR, source_file VARCHAR, org VARCHAR, id BIGINT, app_id BIGINT, app_slug VARCHAR, target_type VARCHAR,
  repository_selection VARCHAR, permissions JSON, events VARCHAR[], created_at TIMESTAMP, updated_at TIMESTAMP,
  suspended_at TIMESTAMP, ai_app BOOLEAN  -- slug names an AI agent or AI review app (agent-tools.ts AI_APP_SLUG)
);
-- Fine-grained personal access tokens granted access to the org (GitHub App auth only).
CREATE TABLE github_pat_grants (
  run_id VARCHAR, source_file VARCHAR, org VARCHAR, id BIGINT, token_id BIGINT, token_name VARCHAR, owner_login VARCHAR,
  owner_type VARCHAR, repository_selection VARCHAR, permissions JSON, access_granted_at TIMESTAMP, token_expired BOOLEAN,
  token_expires_at TIMESTAMP, token_last_used_at TIMESTAMP
);
-- Secret-scanning alerts; the secret itself is never stored, only an identifying key id (AKIA…) where there is one.
CREATE TABLE github_secret_alerts (
  run_id VARCHAR, source_file VARCHAR, org VARCHAR, repo VARCHAR, number BIGINT, created_at TIMESTAMP, updated_at TIMESTAMP,
  state VARCHAR, resolution VARCHAR, resolved_at TIMESTAMP, secret_type VARCHAR, secret_type_display_name VARCHAR,
  validity VARCHAR, key_id VARCHAR, publicly_leaked BOOLEAN, location_type VARCHAR, location_path VARCHAR,
  location_line BIGINT, html_url VARCHAR
);
-- One row per workflow file, analysed (src/github-workflow/workflow.ts).
CREATE TABLE github_workflows (
  run_id VARCHAR, source_file VARCHAR, org VARCHAR, repo VARCHAR, path VARCHAR, name VARCHAR, triggers VARCHAR[],
  schedules VARCHAR[], permissions VARCHAR, write_all BOOLEAN, permissions_missing BOOLEAN, runs_agent BOOLEAN,
  parse_error VARCHAR
);
-- Facts found in workflows, each with its line: secret-ref, aws-static-keys, aws-role, agent-tool, llm-secret, …
CREATE TABLE github_workflow_facts (
  run_id VARCHAR, org VARCHAR, repo VARCHAR, path VARCHAR, line INTEGER, fact VARCHAR, name VARCHAR, value VARCHAR, context VARCHAR
);
-- What collection could not read (per org, optionally per repo): missing scope, feature disabled, …
CREATE TABLE github_coverage (run_id VARCHAR, org VARCHAR, repo VARCHAR, endpoint VARCHAR, status INTEGER, detail VARCHAR);
`,
};
