/*---
id: github/stale
title: GitHub credential nobody uses, or left in an archived repository
category: stale
severity: medium
confidence: high
requires: [github_deploy_keys, github_secret_ids, github_repos, github_pat_grants]
params:
  stale_days: { type: INTEGER, default: 90, description: "a deploy key or PAT grant unused for this many days (or never used and older than that) is stale" }
summary: Deploy keys and fine-grained PAT grants unused for N days (default 90) or never used, and secrets and deploy keys in archived repositories.
rationale: >-
  A credential nobody uses can be removed without breaking anything, yet it still opens the repository to
  whoever holds a copy. Archived repositories are read-only for people, but their deploy keys keep working
  for reads and their secrets stay readable by anyone who unarchives the repository.
false_positives:
  - Deploy keys used only for rare releases; GitHub records last use per key, check it against the release calendar.
remediation:
  summary: Delete the unused credential; for archived repositories remove every secret and deploy key.
  steps:
    - Confirm with the owner (`added_by` or the PAT owner in the evidence) that nothing depends on it.
    - Delete the deploy key or secret, or revoke the PAT grant.
  cli: "{fix_command}"
references:
  - https://docs.github.com/en/authentication/connecting-to-github-with-ssh/managing-deploy-keys
mappings: { owasp_nhi: ["NHI1:2025"], mitre_attack: ["T1078"] }
---*/
WITH keys AS (
  SELECT 'deploy-key' AS subject_type, 'github://' || k.org || '/' || k.repo || '/deploy-keys/' || k.id AS subject_id, k.org, k.created_at AS first_seen, k.last_used AS last_seen,
    CASE WHEN coalesce(r.archived, false) AND NOT k.read_only THEN 'medium' WHEN NOT k.read_only THEN 'medium' ELSE 'low' END AS severity,
    format('deploy key {} on {} {}', coalesce(k.title, '#' || k.id), k.repo,
      CASE WHEN coalesce(r.archived, false) THEN 'sits in an archived repository'
           WHEN k.last_used IS NULL THEN 'was never used (added ' || date_diff('day', k.created_at, $as_of) || ' days ago)'
           ELSE 'was last used ' || date_diff('day', k.last_used, $as_of) || ' days ago' END) AS reason,
    {'kind': 'deploy-key', 'name': k.title, 'repo': k.repo, 'archived': coalesce(r.archived, false), 'read_only': k.read_only,
     'last_used': k.last_used, 'added_by': k.added_by, 'fix_command': 'gh repo deploy-key delete ' || k.id || ' --repo ' || k.org || '/' || k.repo} AS evidence
  FROM github_deploy_keys k LEFT JOIN github_repos r ON r.org = k.org AND r.repo = k.repo
  WHERE coalesce(r.archived, false)
     OR (k.last_used IS NULL AND k.created_at < $as_of - to_days($stale_days))
     OR k.last_used < $as_of - to_days($stale_days)
),
secrets AS (
  SELECT 'actions-secret', s.secret_id, s.org, s.created_at, s.updated_at,
    CASE WHEN s.credential_type IS NOT NULL THEN 'medium' ELSE 'low' END,
    format('{} secret {} sits in archived repository {}', s.scope, s.name, s.repo),
    {'kind': 'actions-secret', 'name': s.name, 'repo': s.repo, 'archived': true, 'read_only': NULL::BOOLEAN, 'last_used': NULL::TIMESTAMP, 'added_by': NULL::VARCHAR,
     'fix_command': 'gh secret delete ' || s.name || ' --repo ' || s.org || '/' || s.repo || coalesce(' --env ' || s.environment, '')}
  FROM github_secret_ids s JOIN github_repos r ON r.org = s.org AND r.repo = s.repo
  WHERE s.scope IN ('repo', 'environment') AND r.archived
),
pats AS (
  SELECT 'pat-grant', 'github://' || org || '/personal-access-tokens/' || id, org, access_granted_at, token_last_used_at, 'low',
    format('fine-grained PAT {} of {} {}', coalesce(token_name, '#' || token_id), coalesce(owner_login, '?'),
      CASE WHEN token_last_used_at IS NULL THEN 'was never used (granted ' || date_diff('day', access_granted_at, $as_of) || ' days ago)'
           ELSE 'was last used ' || date_diff('day', token_last_used_at, $as_of) || ' days ago' END),
    {'kind': 'pat-grant', 'name': token_name, 'repo': NULL, 'archived': false, 'read_only': NULL, 'last_used': token_last_used_at, 'added_by': owner_login,
     'fix_command': 'gh api -X POST orgs/' || org || '/personal-access-tokens/' || id || ' -f action=revoke'}
  FROM github_pat_grants
  WHERE NOT coalesce(token_expired, false)
    AND ((token_last_used_at IS NULL AND access_granted_at < $as_of - to_days($stale_days)) OR token_last_used_at < $as_of - to_days($stale_days))
)
SELECT subject_type, subject_id, org AS account_id, NULL AS principal_arn, first_seen, last_seen, severity, reason, evidence
FROM (SELECT * FROM keys UNION ALL SELECT * FROM secrets UNION ALL SELECT * FROM pats)
ORDER BY subject_id
