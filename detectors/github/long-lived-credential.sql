/*---
id: github/long-lived-credential
title: GitHub credential that is never rotated or never expires
category: long-lived-credential
severity: medium
confidence: high
requires: [github_secret_ids, github_pat_grants, github_deploy_keys]
params:
  rotation_days: { type: INTEGER, default: 180, description: "an Actions secret not updated for this many days counts as not rotated" }
  max_pat_days: { type: INTEGER, default: 366, description: "a fine-grained PAT grant expiring later than this many days from now (or never) counts as long-lived" }
  deploy_key_days: { type: INTEGER, default: 365, description: "a deploy key older than this many days counts as long-lived" }
summary: Actions secrets not rotated in N days (default 180), fine-grained PAT grants without an expiry or expiring in more than a year, and deploy keys older than a year.
rationale: >-
  Long-lived credentials accumulate copies — in logs, laptops, forks and former employees' notes — and
  every copy keeps working until the credential changes. Secrets in GitHub show when they were last set,
  PAT grants show their expiry and deploy keys their age, so all three can be held to a rotation period.
false_positives:
  - A secret updated through an external secrets manager that rewrites it with the same value on a schedule shows a fresh date; one never rewritten may still be rotated upstream (GitHub only sees the copy).
remediation:
  summary: Rotate the credential at its issuer and update the secret, or replace it with something short-lived.
  steps:
    - For Actions secrets, issue a new credential, update the secret (gh secret set), then revoke the old credential; for AWS keys prefer OIDC roles.
    - For PAT grants, ask the owner to recreate the token with an expiry of at most 90 days, or move the automation to a GitHub App; set an organization maximum lifetime policy.
    - For deploy keys, generate a new key pair, add it, remove the old one; prefer a GitHub App or read-only keys.
  cli: "{fix_command}"
references:
  - https://docs.github.com/en/organizations/managing-programmatic-access-to-your-organization/setting-a-personal-access-token-policy-for-your-organization
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI7:2025"], mitre_attack: ["T1078"] }
---*/
WITH secrets AS (
  SELECT 'actions-secret' AS subject_type, secret_id AS subject_id, org, created_at AS first_seen, updated_at AS last_seen,
    CASE credential_type WHEN 'aws-static-key' THEN 'high' WHEN 'llm-provider' THEN 'medium' ELSE 'low' END AS severity,
    format('{} secret {}{} was last set {} days ago', scope, name, coalesce(' in ' || repo, ''), date_diff('day', coalesce(updated_at, created_at), $as_of)) AS reason,
    {'kind': 'actions-secret', 'name': name, 'scope': scope, 'repo': repo, 'environment': environment, 'credential_type': credential_type,
     'updated_at': updated_at, 'age_days': date_diff('day', coalesce(updated_at, created_at), $as_of), 'expires_at': NULL::TIMESTAMP, 'owner': NULL::VARCHAR,
     'fix_command': CASE scope WHEN 'org' THEN 'gh secret set ' || name || ' --org ' || org
                               WHEN 'repo' THEN 'gh secret set ' || name || ' --repo ' || org || '/' || repo
                               ELSE 'gh secret set ' || name || ' --repo ' || org || '/' || repo || ' --env ' || environment END} AS evidence
  FROM github_secret_ids
  WHERE coalesce(updated_at, created_at) < $as_of - to_days($rotation_days)
),
pats AS (
  SELECT 'pat-grant', 'github://' || org || '/personal-access-tokens/' || id, org, access_granted_at, token_last_used_at,
    CASE WHEN token_expires_at IS NULL THEN 'high' ELSE 'medium' END,
    format('fine-grained PAT {} of {} {}', coalesce(token_name, '#' || token_id), coalesce(owner_login, '?'),
      CASE WHEN token_expires_at IS NULL THEN 'never expires' ELSE 'expires ' || strftime(token_expires_at, '%Y-%m-%d') || ', ' || date_diff('day', $as_of, token_expires_at) || ' days from now' END),
    {'kind': 'pat-grant', 'name': token_name, 'scope': repository_selection, 'repo': NULL, 'environment': NULL, 'credential_type': 'github-pat',
     'updated_at': access_granted_at, 'age_days': date_diff('day', access_granted_at, $as_of), 'expires_at': token_expires_at, 'owner': owner_login,
     'fix_command': 'gh api -X POST orgs/' || org || '/personal-access-tokens/' || id || ' -f action=revoke'}
  FROM github_pat_grants
  WHERE NOT coalesce(token_expired, false) AND (token_expires_at IS NULL OR token_expires_at > $as_of + to_days($max_pat_days))
),
keys AS (
  SELECT 'deploy-key', 'github://' || org || '/' || repo || '/deploy-keys/' || id, org, created_at, last_used,
    CASE WHEN read_only THEN 'low' ELSE 'medium' END,
    format('{} deploy key {} on {} is {} days old', CASE WHEN read_only THEN 'read-only' ELSE 'read-write' END, coalesce(title, '#' || id), repo, date_diff('day', created_at, $as_of)),
    {'kind': 'deploy-key', 'name': title, 'scope': CASE WHEN read_only THEN 'read' ELSE 'write' END, 'repo': repo, 'environment': NULL, 'credential_type': 'ssh-deploy-key',
     'updated_at': created_at, 'age_days': date_diff('day', created_at, $as_of), 'expires_at': NULL::TIMESTAMP, 'owner': added_by,
     'fix_command': 'gh repo deploy-key delete ' || id || ' --repo ' || org || '/' || repo}
  FROM github_deploy_keys
  WHERE created_at < $as_of - to_days($deploy_key_days)
)
SELECT subject_type, subject_id, org AS account_id, NULL AS principal_arn, first_seen, last_seen, severity, reason, evidence
FROM (SELECT * FROM secrets UNION ALL SELECT * FROM pats UNION ALL SELECT * FROM keys)
ORDER BY subject_id
