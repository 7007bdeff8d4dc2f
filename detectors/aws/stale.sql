/*---
id: aws/stale
title: Non-human identity or access key unused for months, or never used
category: stale
severity: medium
confidence: medium
requires: [identities, credentials, activity, iam_credential_report, iam_principals, nhi]
params:
  stale_days: { type: INTEGER, default: 90, description: "Unused for longer than this many days counts as stale; never-used identities must also be older than this" }
summary: A workload, agent or unclassified IAM role or user, or an active access key, whose last use (from CloudTrail, the credential report or RoleLastUsed, whichever is latest) is older than the threshold, or that was never used.
rationale: >-
  Identities nobody uses still hold their permissions and credentials. They are what attackers look for
  (nobody notices when a dormant identity starts acting), and they are usually leftovers of projects, agents and
  people that moved on (OWASP NHI1, improper offboarding). Every finding names where the last use comes from:
  CloudTrail (inside the scan window), the credential report (password and key last use), or IAM's RoleLastUsed
  (tracked for 400 days). Users are reported only when they hold no active key; their keys are reported instead.
false_positives:
  - Quarterly or yearly jobs (raise stale_days for them with --param aws/stale.stale_days=400).
  - Break-glass roles that must stay unused (reported as info when their trust requires MFA).
remediation:
  summary: Confirm nobody needs it, then disable it and delete it after a waiting period.
  steps:
    - Ask the owner (tag or creator) whether the identity is still needed; check the last-use source and date in the evidence.
    - For a key, deactivate it; for a role, remove its trust policy statements or attach a deny-all inline policy; for a user, delete its login profile and keys.
    - Wait a few weeks for anything that breaks, then delete the identity.
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI1:2025", "NHI7:2025"], mitre_attack: ["T1078.004"] }
---*/
WITH uses AS (
  -- every known last use, per identity, with its source
  SELECT 'principal' AS st, subject_id AS id, last_seen AS used_at, 'cloudtrail' AS source FROM activity WHERE subject_type = 'principal'
  UNION ALL SELECT 'access-key', subject_id, last_seen, 'cloudtrail' FROM activity WHERE subject_type = 'access-key'
  UNION ALL SELECT 'principal', arn, role_last_used_at, 'role-last-used' FROM iam_principals WHERE role_last_used_at IS NOT NULL
  UNION ALL SELECT 'principal', arn, password_last_used, 'credential-report (console password)' FROM iam_credential_report WHERE password_last_used IS NOT NULL
  UNION ALL SELECT 'access-key', access_key_id, report_last_used, 'credential-report' FROM credentials WHERE report_last_used IS NOT NULL
),
last_use AS (
  SELECT st, id, max(used_at) AS last_used_at, arg_max(source, used_at) AS source, list(DISTINCT source ORDER BY source) AS sources FROM uses GROUP BY st, id
),
candidates AS (
  SELECT i.id, i.kind, i.name, i.arn, i.account, i.classification, i.created_at, i.trust_policy, i.tags, i.parent_id, i.owner,
    NULL::VARCHAR AS user_name, NULL::VARCHAR AS key_status
  FROM nhi i
  WHERE i.in_iam AND i.kind IN ('iam-user', 'iam-role')
    AND NOT (i.kind = 'iam-user' AND EXISTS (SELECT 1 FROM credentials c WHERE c.user_arn = i.arn AND c.active))
  UNION ALL
  -- keys: every active key (a person's idle key is as exploitable as a bot's)
  -- (keys absent from the IAM snapshot but not deleted are live: their status says so; in an account with no IAM
  -- export at all nothing says a key last seen long ago still exists, so those are left out)
  SELECT c.access_key_id, 'access-key', c.access_key_id, c.user_arn, c.account_id, coalesce(u.classification, 'unknown'), c.created_at_or_first_seen, NULL, NULL,
    c.user_arn, u.owner, c.user_name, c.status_text
  FROM credentials c LEFT JOIN identities u ON u.id = c.user_arn
  WHERE c.active AND (c.in_iam OR c.iam_snapshot_at IS NOT NULL)
),
x AS (
  SELECT c.*, l.last_used_at, l.source, coalesce(l.sources, []) AS sources,
    date_diff('day', l.last_used_at, getvariable('as_of')) AS idle_days,
    date_diff('day', c.created_at, getvariable('as_of')) AS age_days,
    (c.kind = 'iam-role' AND c.trust_policy::VARCHAR LIKE '%MultiFactorAuthPresent%') AS mfa_gated,
    (cr.user_name IS NOT NULL) AS report_covers_user,
    CASE c.kind WHEN 'access-key' THEN 'access key ' || c.id || ' of user ' || coalesce(c.user_name, '?') || ' (' || c.classification || ')'
      ELSE replace(c.kind, 'iam-', '') || ' ' || c.name || ' (' || c.classification || ')' END AS label
  FROM candidates c
  LEFT JOIN last_use l ON l.st = CASE WHEN c.kind = 'access-key' THEN 'access-key' ELSE 'principal' END AND l.id = c.id
  LEFT JOIN iam_credential_report cr ON cr.arn = coalesce(c.parent_id, c.arn) AND c.kind <> 'iam-role'
)
SELECT
  kind AS subject_type,
  id AS subject_id,
  account AS account_id,
  arn AS principal_arn,
  created_at AS first_seen,
  last_used_at AS last_seen,
  CASE WHEN mfa_gated THEN 'info'
       WHEN kind = 'access-key' OR classification = 'agent' THEN 'medium'
       ELSE 'low' END AS severity,
  CASE WHEN last_used_at IS NOT NULL THEN
         format('{} last used {} days ago ({}, from {}){}', label, idle_days,
           strftime(last_used_at, '%Y-%m-%d'), source, CASE WHEN mfa_gated THEN '; its trust requires MFA (break-glass?)' ELSE '' END)
       WHEN kind = 'iam-role' THEN
         format('role {} ({}) was created {} days ago and has no recorded use: RoleLastUsed is empty (AWS tracks 400 days) and CloudTrail shows nothing{}',
           name, classification, age_days, CASE WHEN mfa_gated THEN '; its trust requires MFA (break-glass?)' ELSE '' END)
       ELSE
         format('{} was created {} days ago and {}', label, age_days,
           CASE WHEN report_covers_user THEN 'has never been used (credential report and CloudTrail)'
                ELSE 'has no recorded use (CloudTrail window only; no credential report row)' END)
  END AS reason,
  {
    'name': name,
    'classification': classification,
    'user_name': user_name,
    'key_status': key_status,
    'owner': owner,
    'created_at': created_at,
    'age_days': age_days,
    'last_used_at': last_used_at,
    'idle_days': idle_days,
    'last_used_source': coalesce(source, 'never'),
    'sources_consulted': list_distinct(list_concat(sources, CASE kind WHEN 'iam-role' THEN ['role-last-used', 'cloudtrail']
                                                                       ELSE ['credential-report', 'cloudtrail'] END)),
    'mfa_gated_trust': mfa_gated,
    'stale_days': $stale_days,
    'commands': CASE kind
      WHEN 'access-key' THEN ['aws iam update-access-key --user-name ' || user_name || ' --access-key-id ' || id || ' --status Inactive',
                              'aws iam delete-access-key --user-name ' || user_name || ' --access-key-id ' || id]
      WHEN 'iam-role' THEN ['aws iam put-role-policy --role-name ' || name || ' --policy-name deny-all-stale --policy-document ''{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}''',
                            'aws iam delete-role --role-name ' || name || '   # after detaching its policies and removing it from instance profiles']
      ELSE ['aws iam delete-login-profile --user-name ' || name, 'aws iam delete-user --user-name ' || name || '   # after removing its policies, groups and credentials'] END
  } AS evidence
FROM x
WHERE (last_used_at IS NOT NULL AND idle_days > $stale_days)
   OR (last_used_at IS NULL AND age_days > $stale_days)
ORDER BY subject_id
