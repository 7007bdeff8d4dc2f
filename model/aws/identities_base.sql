/*---
name: identities_base
kind: table
reads: [activity, credentials, iam_credential_report, iam_principals]
params: []
summary: >-
  The AWS identities before classification: IAM users and roles, long-term keys, users only the credential report lists (the authorization details missed them, or were not exported), each account's root user (kind root, from the credential report), and principals seen acting but absent from the IAM export.
---*/
CREATE OR REPLACE TABLE identities_base AS
SELECT arn AS id, 'aws' AS provider, account_id AS account,
  CASE principal_type WHEN 'user' THEN 'iam-user' ELSE 'iam-role' END AS kind,
  name, arn, path, created_at, tags, trust_policy, role_last_used_at, NULL::VARCHAR AS parent_id, true AS in_iam
FROM iam_principals
UNION ALL
-- users the credential report lists and the authorization details do not (an export taken at another time, or cut short)
SELECT r.arn, 'aws', r.account_id, 'iam-user', r.user_name, r.arn, NULL, r.user_creation_time, NULL, NULL, NULL, NULL, true
FROM iam_credential_report r
WHERE r.arn LIKE 'arn:aws%:iam::%:user/%' AND r.arn NOT IN (SELECT arn FROM iam_principals)
UNION ALL
-- the account's root user as the credential report lists it (<root_account>): it can act and hold keys, so it is an
-- identity; kind 'root', so no detector for non-human identities (which name users and roles) treats it as one
SELECT r.arn, 'aws', r.account_id, 'root', 'root', r.arn, NULL, r.user_creation_time, NULL, NULL, NULL, NULL, true
FROM iam_credential_report r
WHERE r.arn LIKE 'arn:aws%:iam::%:root'
UNION ALL
SELECT c.access_key_id, 'aws', c.account_id, 'access-key', c.access_key_id || ' (' || coalesce(c.user_name, '?') || ')', c.user_arn,
  NULL, c.created_at, NULL, NULL, NULL, c.user_arn, c.in_iam
FROM credentials c
UNION ALL
SELECT a.subject_id, 'aws', a.account_id,
  CASE WHEN a.subject_id LIKE '%:user/%' THEN 'iam-user' WHEN a.subject_id LIKE '%:role/%' THEN 'iam-role' ELSE 'principal' END,
  regexp_extract(a.subject_id, '[/:]([^/:]+)$', 1), a.subject_id, NULL, NULL, NULL, NULL, NULL, NULL, false
FROM activity a
WHERE a.subject_type = 'principal' AND a.subject_id LIKE 'arn:aws:iam::%'
  AND a.subject_id NOT LIKE '%:root' AND a.subject_id NOT IN (SELECT arn FROM iam_principals)
  AND a.subject_id NOT IN (SELECT arn FROM iam_credential_report WHERE arn IS NOT NULL)
