/*---
name: github_identities_base
kind: table
reads: [github_agent_workflows, github_app_installations, github_deploy_keys, github_pat_grants, github_secret_ids, github_unlisted_key_secrets]
params: []
summary: >-
  The GitHub identities before classification: Actions secrets, deploy keys, App installations, fine-grained PAT
  grants and workflows that run an AI agent, with their id (github://…), name, creation, creator and last use.
  Owners: the PAT owner and the deploy key's added_by (GitHub says who).
---*/
CREATE OR REPLACE TABLE github_identities_base AS
SELECT s.secret_id AS id, 'github' AS provider, s.org AS account, 'actions-secret' AS kind,
  coalesce(s.repo || CASE WHEN s.environment IS NOT NULL THEN ' (' || s.environment || ')' ELSE '' END || ': ', 'org: ') || s.name AS name,
  s.created_at, NULL::VARCHAR AS creator, NULL::TIMESTAMP AS last_used_at
FROM github_secret_ids s
UNION ALL
-- secrets workflows hand to AWS as static keys that no exported secret list holds (a coverage gap says why)
SELECT u.secret_id, 'github', u.org, 'actions-secret', u.repo || ': ' || u.name, NULL::TIMESTAMP, NULL::VARCHAR, NULL::TIMESTAMP
FROM github_unlisted_key_secrets u
UNION ALL
SELECT 'github://' || k.org || '/' || k.repo || '/deploy-keys/' || k.id, 'github', k.org, 'deploy-key',
  k.repo || ': ' || coalesce(k.title, 'key ' || k.id) || CASE WHEN k.read_only THEN ' (read-only)' ELSE ' (write)' END,
  k.created_at, k.added_by, k.last_used
FROM github_deploy_keys k
UNION ALL
SELECT 'github://' || i.org || '/installations/' || i.id, 'github', i.org, 'app-installation', i.app_slug, i.created_at, NULL, i.updated_at
FROM github_app_installations i
UNION ALL
SELECT 'github://' || p.org || '/personal-access-tokens/' || p.id, 'github', p.org, 'pat-grant',
  coalesce(p.token_name, 'token ' || p.token_id) || ' (' || coalesce(p.owner_login, '?') || ')',
  p.access_granted_at, p.owner_login, p.token_last_used_at
FROM github_pat_grants p
UNION ALL
SELECT w.workflow_id, 'github', w.org, 'agent-workflow', w.repo || '/' || w.path, NULL, NULL, NULL
FROM github_agent_workflows w
