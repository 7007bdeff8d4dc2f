/*---
id: github/overbroad
title: GitHub machine identity with write or admin power over every repository
category: overbroad
severity: high
confidence: high
requires: [github_app_installations, github_pat_grants, github_deploy_keys, github_agent_workflows]
summary: App installations with administration, secrets or contents write on all repositories; PAT grants with write on all repositories; write deploy keys on repositories whose workflows run AI agents; agent workflows whose token has write-all.
rationale: >-
  A machine identity that can write to every repository turns one leaked token or one prompt-injected agent
  into an organization-wide compromise: pushing workflow files that read every secret, changing branch
  protection, or rewriting releases. AI agents are the sharpest case because they choose their own actions
  from untrusted input (issues, pull requests, web pages), so their tokens must be scoped to the repositories
  and permissions they actually need.
false_positives:
  - Organization-wide automation that really needs write everywhere (a dependency updater); restrict it to contents and pull requests and exclude administration and secrets.
remediation:
  summary: Scope the identity to the repositories and permissions it needs.
  steps:
    - For an App, switch the installation to "Only select repositories" and ask the vendor for a permission set without administration and secrets.
    - For a PAT grant, ask the owner to recreate the token for selected repositories with read-only permissions, or move the automation to a GitHub App.
    - For a write deploy key on an agent repository, replace it with a read-only key (or a GitHub App token) so the agent cannot push.
    - "For an agent workflow, replace `permissions: write-all` with the minimum (`contents: read`, plus only what the agent must write)."
  cli: "{fix_command}"
references:
  - https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#modifying-the-permissions-for-the-github_token
  - https://docs.github.com/en/apps/using-github-apps/reviewing-and-modifying-installed-github-apps
mappings: { owasp_nhi: ["NHI5:2025"], mitre_attack: ["T1098", "T1078"] }
---*/
WITH apps AS (
  SELECT i.*, list(k ORDER BY k) FILTER (WHERE k IN ('administration', 'secrets', 'contents', 'workflows', 'organization_administration', 'members', 'actions')
      AND json_extract_string(i.permissions, '$."' || k || '"') IN ('write', 'admin')) AS risky
  FROM github_app_installations i, unnest(coalesce(json_keys(i.permissions), [])) AS u(k)
  WHERE i.repository_selection = 'all' AND i.suspended_at IS NULL
  GROUP BY ALL
),
app_rows AS (
  SELECT 'app-installation' AS subject_type, 'github://' || org || '/installations/' || id AS subject_id, org, created_at AS first_seen, updated_at AS last_seen,
    CASE WHEN ai_app AND (list_contains(risky, 'administration') OR list_contains(risky, 'secrets')) THEN 'critical' ELSE 'high' END AS severity,
    format('{}app {} is installed on all repositories with {} write', CASE WHEN ai_app THEN 'AI ' ELSE '' END, app_slug, array_to_string(risky, ', ')) AS reason,
    {'kind': 'app-installation', 'name': app_slug, 'ai_app': ai_app, 'repository_selection': repository_selection, 'write_permissions': risky,
     'permissions': permissions, 'repo': NULL::VARCHAR, 'location': NULL::STRUCT(repo VARCHAR, path VARCHAR, line INTEGER),
     'fix_command': 'open https://github.com/organizations/' || org || '/settings/installations/' || id} AS evidence
  FROM apps WHERE len(risky) > 0 AND (list_contains(risky, 'administration') OR list_contains(risky, 'secrets') OR list_contains(risky, 'contents')
    OR list_contains(risky, 'workflows') OR list_contains(risky, 'organization_administration'))
),
pats AS (
  SELECT p.*, list(k ORDER BY k) FILTER (WHERE json_extract_string(p.permissions, '$.repository."' || k || '"') IN ('write', 'admin')) AS writes
  FROM github_pat_grants p, unnest(coalesce(json_keys(json_extract(p.permissions, '$.repository')), [])) AS u(k)
  WHERE p.repository_selection = 'all' AND NOT coalesce(p.token_expired, false)
  GROUP BY ALL
),
pat_rows AS (
  SELECT 'pat-grant', 'github://' || org || '/personal-access-tokens/' || id, org, access_granted_at, token_last_used_at, 'high',
    format('fine-grained PAT {} of {} can write {} on all repositories', coalesce(token_name, '#' || token_id), coalesce(owner_login, '?'), array_to_string(writes, ', ')),
    {'kind': 'pat-grant', 'name': token_name, 'ai_app': false, 'repository_selection': repository_selection, 'write_permissions': writes,
     'permissions': permissions, 'repo': NULL, 'location': NULL, 'fix_command': 'gh api -X POST orgs/' || org || '/personal-access-tokens/' || id || ' -f action=revoke'}
  FROM pats WHERE len(writes) > 0
),
agent_repos AS (
  SELECT org, repo, min(path) AS workflow, arg_min(agent_line, path) AS line, flatten(list(tools)) AS tools FROM github_agent_workflows GROUP BY org, repo
),
key_rows AS (
  SELECT 'deploy-key', 'github://' || k.org || '/' || k.repo || '/deploy-keys/' || k.id, k.org, k.created_at, k.last_used, 'high',
    format('read-write deploy key {} on {}, whose workflows run an AI agent ({})', coalesce(k.title, '#' || k.id), k.repo, array_to_string(list_distinct(a.tools), ', ')),
    {'kind': 'deploy-key', 'name': k.title, 'ai_app': false, 'repository_selection': k.repo, 'write_permissions': ['contents (git push)'],
     'permissions': NULL, 'repo': k.repo, 'location': {'repo': k.repo, 'path': a.workflow, 'line': a.line},
     'fix_command': 'gh repo deploy-key delete ' || k.id || ' --repo ' || k.org || '/' || k.repo || '  # then: gh repo deploy-key add KEY.pub --repo ' || k.org || '/' || k.repo || ' (read-only by default)'}
  FROM github_deploy_keys k JOIN agent_repos a ON a.org = k.org AND a.repo = k.repo
  WHERE NOT k.read_only
),
wf_rows AS (
  SELECT 'agent-workflow', workflow_id, org, NULL::TIMESTAMP, NULL::TIMESTAMP, 'high',
    format('agent workflow {}/{} runs {} with permissions write-all{}', repo, path, array_to_string(list_concat(tools, llm_secrets), ', '),
      CASE WHEN scheduled THEN ' on a schedule (' || array_to_string(schedules, '; ') || ')' ELSE '' END),
    {'kind': 'agent-workflow', 'name': coalesce(name, path), 'ai_app': true, 'repository_selection': repo, 'write_permissions': ['write-all'],
     'permissions': NULL, 'repo': repo, 'location': {'repo': repo, 'path': path, 'line': coalesce(write_all_line, agent_line)},
     'fix_command': 'sed -i ''s/^permissions: write-all$/permissions: { contents: read }/'' ' || path}
  FROM github_agent_workflows WHERE write_all
)
SELECT subject_type, subject_id, org AS account_id, NULL AS principal_arn, first_seen, last_seen, severity, reason, evidence
FROM (SELECT * FROM app_rows UNION ALL SELECT * FROM pat_rows UNION ALL SELECT * FROM key_rows UNION ALL SELECT * FROM wf_rows)
ORDER BY subject_id
