/*---
name: identities_github
kind: table
reads: [github_agent_workflows, github_deploy_keys, github_installations, github_members, github_pat_grants, github_secret_ids, github_secret_refs, github_unlisted_key_secrets]
params: [as_of]
summary: >-
  GitHub rows of the inventory: Actions secrets, deploy keys, App installations, fine-grained PAT grants and agent workflows, with classification, confidence and evidence. Owners: the PAT owner and the deploy key's added_by (GitHub says who).
---*/
CREATE OR REPLACE TABLE identities_github AS
WITH members AS (SELECT org, lower(login) AS login FROM github_members),
member_orgs AS (SELECT DISTINCT org FROM github_members),
used AS (SELECT secret_id, count(*) AS refs, list(DISTINCT repo ORDER BY repo) AS repos FROM github_secret_refs GROUP BY secret_id),
agent_secret AS (
  SELECT DISTINCT r.secret_id FROM github_secret_refs r JOIN github_agent_workflows w USING (org, repo, path)
),
secrets AS (
  SELECT s.secret_id AS id, 'github' AS provider, s.org AS account, 'actions-secret' AS kind,
    coalesce(s.repo || CASE WHEN s.environment IS NOT NULL THEN ' (' || s.environment || ')' ELSE '' END || ': ', 'org: ') || s.name AS name,
    s.created_at, NULL::VARCHAR AS creator,
    CASE WHEN a.secret_id IS NOT NULL THEN 'agent' ELSE 'workload' END AS classification,
    CASE WHEN a.secret_id IS NOT NULL THEN 'medium' WHEN s.credential_type IS NOT NULL THEN 'medium' ELSE 'low' END AS confidence,
    list_filter([
      {'signal': 'GitHub Actions secret', 'class': 'workload', 'detail': s.scope || ' secret' || coalesce(', visibility ' || s.visibility, ''), 'weight': 20},
      CASE WHEN s.credential_type = 'aws-static-key' THEN {'signal': 'AWS static key in CI', 'class': 'workload', 'detail': 'name ' || s.name || ' holds a long-lived AWS key', 'weight': 20} END,
      CASE WHEN s.credential_type = 'llm-provider' THEN {'signal': 'LLM provider key', 'class': 'agent', 'detail': 'name ' || s.name || ' holds a model provider key', 'weight': 20} END,
      CASE WHEN a.secret_id IS NOT NULL THEN {'signal': 'read by an agent workflow', 'class': 'agent', 'detail': 'referenced by a workflow that runs an AI agent', 'weight': 40} END,
      CASE WHEN u.secret_id IS NOT NULL THEN {'signal': 'referenced by workflows', 'class': 'workload', 'detail': u.refs || ' reference(s) in ' || array_to_string(u.repos, ', '), 'weight': 0} END
    ], x -> x IS NOT NULL) AS evidence,
    NULL::TIMESTAMP AS last_used_at
  FROM github_secret_ids s LEFT JOIN agent_secret a USING (secret_id) LEFT JOIN used u USING (secret_id)
  UNION ALL
  -- secrets workflows hand to AWS as static keys that no exported secret list holds (a coverage gap says why)
  SELECT u.secret_id, 'github', u.org, 'actions-secret', u.repo || ': ' || u.name, NULL::TIMESTAMP, NULL::VARCHAR, 'workload', 'low',
    [{'signal': 'AWS static key in CI', 'class': 'workload', 'detail': 'workflows hand ' || u.name || ' to AWS as a long-lived key: ' || array_to_string(u.workflows, ', '), 'weight': 20},
     {'signal': 'not in the exported secret lists', 'class': 'workload', 'detail': 'known only from workflow references; its dates and scope are unknown', 'weight': 0}],
    NULL::TIMESTAMP
  FROM github_unlisted_key_secrets u
),
keys AS (
  SELECT 'github://' || k.org || '/' || k.repo || '/deploy-keys/' || k.id AS id, 'github', k.org, 'deploy-key',
    k.repo || ': ' || coalesce(k.title, 'key ' || k.id) || CASE WHEN k.read_only THEN ' (read-only)' ELSE ' (write)' END,
    k.created_at, k.added_by, 'workload', 'medium',
    list_filter([
      {'signal': 'deploy key', 'class': 'workload', 'detail': 'SSH key for one repository, ' || CASE WHEN k.read_only THEN 'read-only' ELSE 'read-write' END, 'weight': 30},
      CASE WHEN k.added_by IS NOT NULL AND k.org IN (SELECT org FROM member_orgs) AND lower(k.added_by) NOT IN (SELECT login FROM members m WHERE m.org = k.org)
           THEN {'signal': 'owner left the org', 'class': 'workload', 'detail': k.added_by || ' added this key and is no longer an org member', 'weight': 0} END
    ], x -> x IS NOT NULL),
    k.last_used
  FROM github_deploy_keys k
),
apps AS (
  SELECT 'github://' || i.org || '/installations/' || i.id, 'github', i.org, 'app-installation', i.app_slug,
    i.created_at, NULL, CASE WHEN i.ai_app THEN 'agent' ELSE 'workload' END, CASE WHEN i.ai_app THEN 'medium' ELSE 'high' END,
    list_filter([
      {'signal': 'GitHub App installation', 'class': 'workload', 'detail': 'installed on ' || i.repository_selection || ' repositories', 'weight': 40},
      CASE WHEN i.ai_app THEN {'signal': 'AI app', 'class': 'agent', 'detail': 'app ' || i.app_slug || ' is an AI agent or AI review app', 'weight': 45} END
    ], x -> x IS NOT NULL),
    i.updated_at
  FROM github_installations i
),
-- Fine-grained PAT grants act as a person's account, so what runs them is read from the grant itself:
-- the token name, the owner account, the permissions, and whether it is still used after its owner left.
-- Weights follow the AWS signals (identity_signals); a name alone never makes an agent of anything else.
pat_facts AS (
  SELECT p.*,
    p.owner_login IS NOT NULL AND p.org IN (SELECT org FROM member_orgs) AND lower(p.owner_login) NOT IN (SELECT login FROM members m WHERE m.org = p.org) AS owner_left,
    list_sort(list_filter(coalesce(json_keys(json_extract(p.permissions, '$.repository')), []),
      k -> json_extract_string(p.permissions, '$.repository."' || k || '"') IN ('write', 'admin'))) AS repo_writes,
    list_sort(list_filter(coalesce(json_keys(json_extract(p.permissions, '$.organization')), []),
      k -> json_extract_string(p.permissions, '$.organization."' || k || '"') IN ('write', 'admin'))) AS org_writes,
    list_concat(coalesce(json_keys(json_extract(p.permissions, '$.repository')), []), coalesce(json_keys(json_extract(p.permissions, '$.organization')), []),
      coalesce(json_keys(json_extract(p.permissions, '$.other')), [])) AS all_perms,
    date_diff('day', p.token_last_used_at, getvariable('as_of')) AS idle_days,
    nullif(regexp_extract(lower(coalesce(p.token_name, '')), '(^|[^a-z])(agents?|ai|llm|gpt|claude|copilot|codex|cursor|mcp|assistant|openai|anthropic|gemini|devin|aider)([^a-z]|$)', 2), '') AS agent_word,
    nullif(regexp_extract(lower(coalesce(p.token_name, '')), '(^|[^a-z])(bots?|ci|cd|deploy|deployer|release|sync|backup|mirror|cron|jobs?|automation|pipeline|actions?|workflows?|terraform|renovate|scripts?|bulk|batch|export|import|reports?|etl|integration|service|svc|webhook|nightly|scheduler)([^a-z]|$)', 2), '') AS auto_word,
    nullif(regexp_extract(lower(coalesce(p.token_name, '')), '(^|[^a-z])(laptop|local|personal|my|dev|cli|gh|vscode|ide|desktop|manual)([^a-z]|$)', 2), '') AS human_word,
    (p.owner_type = 'Bot' OR regexp_matches(lower(coalesce(p.owner_login, '')), '(\[bot\]$|(^|[-_])(bot|svc|ci|automation|deploy|deployer|service|machine)([-_]|$))')) AS machine_owner
  FROM github_pat_grants p
),
pat_signals AS (
  SELECT f.*,
    list_filter([
      {'signal': 'fine-grained personal access token', 'class': 'unknown',
       'detail': 'acts as ' || coalesce(f.owner_login, '?') || ' on ' || f.repository_selection || ' repositories'
         || CASE WHEN len(list_concat(f.repo_writes, f.org_writes)) > 0 THEN ', can write ' || array_to_string(list_concat(f.repo_writes, f.org_writes), ', ') ELSE ', read-only' END, 'weight': 0},
      CASE WHEN list_contains(f.all_perms, 'models') THEN {'signal': 'GitHub Models permission', 'class': 'agent', 'detail': 'may call LLMs through GitHub Models', 'weight': 40} END,
      CASE WHEN f.agent_word IS NOT NULL THEN {'signal': 'name suggests an agent', 'class': 'agent', 'detail': 'token name ' || f.token_name || ' (' || f.agent_word || ')', 'weight': 25} END,
      CASE WHEN f.machine_owner THEN {'signal': 'machine account', 'class': 'workload', 'detail': 'owner ' || f.owner_login || ' is a bot or service account', 'weight': 40} END,
      CASE WHEN f.auto_word IS NOT NULL THEN {'signal': 'name suggests automation', 'class': 'workload', 'detail': 'token name ' || f.token_name || ' (' || f.auto_word || ')', 'weight': 20} END,
      CASE WHEN len(f.automation_writes) > 0
           THEN {'signal': 'CI/CD permissions', 'class': 'workload', 'detail': 'write on ' || array_to_string(f.automation_writes, ', '), 'weight': 15} END,
      CASE WHEN f.owner_left AND f.idle_days <= 30 THEN {'signal': 'used after its owner left', 'class': 'workload',
           'detail': 'last used ' || f.idle_days || ' day(s) ago although ' || f.owner_login || ' is no longer an org member: something unattended (or someone else) still runs it', 'weight': 25} END,
      CASE WHEN f.human_word IS NOT NULL THEN {'signal': 'name suggests personal use', 'class': 'human', 'detail': 'token name ' || f.token_name || ' (' || f.human_word || ')', 'weight': 20} END,
      CASE WHEN f.owner_left THEN {'signal': 'owner left the org', 'class': 'unknown', 'detail': f.owner_login || ' owns this token and is no longer an org member', 'weight': 0} END,
      {'signal': 'last used', 'class': 'unknown', 'detail': CASE WHEN f.token_last_used_at IS NULL THEN 'never used' ELSE f.idle_days || ' day(s) ago' END, 'weight': 0}
    ], x -> x IS NOT NULL) AS evidence
  FROM (SELECT *, list_filter(list_concat(repo_writes, org_writes), x -> x IN ('actions', 'workflows', 'secrets', 'environments', 'deployments', 'administration', 'pages', 'organization_self_hosted_runners')) AS automation_writes FROM pat_facts) f
),
pat_scored AS (
  SELECT s.*,
    coalesce(list_sum(list_transform(list_filter(s.evidence, e -> e.class = 'agent'), e -> e.weight)), 0) AS a,
    coalesce(list_sum(list_transform(list_filter(s.evidence, e -> e.class = 'workload'), e -> e.weight)), 0) AS w,
    coalesce(list_sum(list_transform(list_filter(s.evidence, e -> e.class = 'human'), e -> e.weight)), 0) AS h
  FROM pat_signals s
),
pats AS (
  SELECT 'github://' || p.org || '/personal-access-tokens/' || p.id, 'github', p.org, 'pat-grant',
    coalesce(p.token_name, 'token ' || p.token_id) || ' (' || coalesce(p.owner_login, '?') || ')',
    p.access_granted_at, p.owner_login,
    CASE WHEN p.a >= 25 AND p.a >= p.w THEN 'agent' WHEN p.w >= 20 AND p.w > p.h THEN 'workload' WHEN p.h >= 20 THEN 'human' ELSE 'unknown' END,
    CASE WHEN p.a >= 25 AND p.a >= p.w THEN CASE WHEN p.a >= 50 THEN 'high' WHEN p.a >= 40 THEN 'medium' ELSE 'low' END
         WHEN p.w >= 20 AND p.w > p.h THEN CASE WHEN p.w >= 60 THEN 'high' WHEN p.w >= 35 THEN 'medium' ELSE 'low' END
         ELSE 'low' END,
    p.evidence,
    p.token_last_used_at
  FROM pat_scored p
),
agents AS (
  SELECT w.workflow_id, 'github', w.org, 'agent-workflow', w.repo || '/' || w.path,
    NULL::TIMESTAMP, NULL, 'agent', CASE WHEN w.scheduled AND len(w.tools) > 0 THEN 'high' ELSE 'medium' END,
    list_filter([
      CASE WHEN len(w.tools) > 0 THEN {'signal': 'AI agent tools in workflow', 'class': 'agent', 'detail': array_to_string(w.tools, ', '), 'weight': 50} END,
      CASE WHEN len(w.llm_secrets) > 0 THEN {'signal': 'LLM provider secrets in workflow', 'class': 'agent', 'detail': array_to_string(w.llm_secrets, ', '), 'weight': 30} END,
      CASE WHEN w.scheduled THEN {'signal': 'runs on a schedule', 'class': 'agent', 'detail': 'cron ' || array_to_string(w.schedules, '; '), 'weight': 20} END,
      {'signal': 'triggers', 'class': 'workload', 'detail': array_to_string(w.triggers, ', '), 'weight': 0}
    ], x -> x IS NOT NULL),
    NULL::TIMESTAMP
  FROM github_agent_workflows w
),
allrows AS (
  SELECT * FROM secrets UNION ALL SELECT * FROM keys UNION ALL SELECT * FROM apps UNION ALL SELECT * FROM pats UNION ALL SELECT * FROM agents
)
SELECT id, provider, account, kind, name, NULL::VARCHAR AS arn, NULL::VARCHAR AS path, created_at, NULL::JSON AS tags,
  NULL::JSON AS trust_policy, NULL::VARCHAR AS parent_id, false AS in_iam, classification, confidence,
  evidence::STRUCT(signal VARCHAR, class VARCHAR, detail VARCHAR, weight INTEGER)[] AS evidence,
  NULL::VARCHAR AS owner_tag_value, NULL::VARCHAR AS owner_tag_key, creator, NULL::VARCHAR AS creator_arn,
  creator AS owner, CASE WHEN creator IS NOT NULL THEN 'creator' ELSE 'none' END AS owner_source, last_used_at
FROM allrows
