/*---
id: github/unused-secret
title: GitHub Actions secret that no workflow references
category: unused-secret
severity: low
confidence: medium
requires: [github_secret_ids, github_secret_access, github_secret_refs, github_workflows_known, github_workflow_facts]
params:
  min_age_days: { type: INTEGER, default: 7, description: "ignore secrets created (or updated) within this many days: they may be waiting for their workflow" }
summary: An organization, repository or environment Actions secret that no workflow in any repository that can read it mentions.
rationale: >-
  A secret nobody reads is a live credential with no purpose and no owner watching it. It still works
  for anyone who can add a workflow to a repository that can read it, it is never rotated because
  nothing breaks, and its key usually outlives the project it was made for. Removing it (and revoking
  the key behind it) costs nothing.
false_positives:
  - Secrets read by reusable workflows in another organization, or by composite actions through inputs set elsewhere.
  - Secrets used only by Dependabot or Codespaces (those have their own secret stores; check the name).
  - Repositories whose workflows could not be read are skipped, so their secrets are never reported here.
remediation:
  summary: Confirm nothing reads the secret, revoke the credential behind it at its issuer, then delete the secret.
  steps:
    - Search the organization for the name (including reusable workflows and actions) to confirm nothing reads it.
    - Revoke or rotate the credential at its issuer (AWS IAM key, LLM provider key, …) so a copy cannot be used either.
    - Delete the secret.
  cli: "{delete_command}"
references:
  - https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions
  - https://github.com/zizmorcore/zizmor/issues/1044
mappings: { owasp_nhi: ["NHI2:2025", "NHI7:2025"], mitre_attack: ["T1552"] }
---*/
WITH access AS (
  SELECT x.secret_id, count(*) AS repos, count(k.repo) AS repos_known, list(x.repo ORDER BY x.repo)[1:10] AS sample_repos
  FROM github_secret_access x LEFT JOIN github_workflows_known k ON k.org = x.org AND k.repo = x.repo
  GROUP BY x.secret_id
),
inherit AS (
  SELECT DISTINCT org, repo FROM github_workflow_facts WHERE fact = 'secrets-inherit'
)
SELECT
  'actions-secret' AS subject_type,
  s.secret_id AS subject_id,
  s.org AS account_id,
  NULL AS principal_arn,
  s.created_at AS first_seen,
  s.updated_at AS last_seen,
  CASE WHEN s.credential_type IS NOT NULL THEN 'medium' ELSE 'low' END AS severity,
  format('{} secret {}{} is referenced by no workflow{}', s.scope, s.name,
    CASE WHEN s.scope = 'org' THEN ' (visible to ' || coalesce(a.repos, 0) || ' repositories)' ELSE ' in ' || s.repo END,
    CASE WHEN s.credential_type = 'aws-static-key' THEN '; it holds a long-lived AWS key'
         WHEN s.credential_type = 'llm-provider' THEN '; it holds a model provider key' ELSE '' END) AS reason,
  {
    'scope': s.scope,
    'repo': s.repo,
    'environment': s.environment,
    'visibility': s.visibility,
    'credential_type': s.credential_type,
    'created_at': s.created_at,
    'updated_at': s.updated_at,
    'repos_with_access': coalesce(a.repos, 0),
    'sample_repos': coalesce(a.sample_repos, []),
    'delete_command': CASE s.scope
      WHEN 'org' THEN 'gh secret delete ' || s.name || ' --org ' || s.org
      WHEN 'repo' THEN 'gh secret delete ' || s.name || ' --repo ' || s.org || '/' || s.repo
      ELSE 'gh secret delete ' || s.name || ' --repo ' || s.org || '/' || s.repo || ' --env ' || s.environment END
  } AS evidence
FROM github_secret_ids s
LEFT JOIN access a USING (secret_id)
WHERE s.secret_id NOT IN (SELECT secret_id FROM github_secret_refs)
  AND coalesce(s.updated_at, s.created_at) < $as_of - to_days($min_age_days)
  -- every repository that can read it had its workflows read, and none passes all secrets on
  AND coalesce(a.repos, 0) = coalesce(a.repos_known, 0)
  AND s.org IN (SELECT org FROM github_workflows_known)
  AND NOT EXISTS (SELECT 1 FROM github_secret_access x JOIN inherit i ON i.org = x.org AND i.repo = x.repo WHERE x.secret_id = s.secret_id)
ORDER BY subject_id
