/*---
id: aws/long-lived-credential
title: Access key not rotated, duplicated or never used
category: long-lived-credential
severity: medium
confidence: high
requires: [credentials, iam_credential_report]
params:
  max_age_days: { type: INTEGER, default: 90, description: "An active key older than this has not been rotated (AWS and CIS recommend 90 days)" }
  unused_grace_days: { type: INTEGER, default: 7, description: "A key created less than this many days ago is not yet 'never used'" }
  rotation_grace_days: { type: INTEGER, default: 7, description: "Two active keys are a rotation in progress while the newer one is younger than this" }
summary: An active IAM access key older than the rotation threshold, a second active key on the same user (the one used least recently), or a key created and never used - judged per key, so a key rotated yesterday is never reported.
rationale: >-
  The longer a key lives, the more copies of it exist (laptops, CI variables, backups, chat logs) and the longer a
  leaked copy keeps working. Two active keys on one user usually mean a rotation that was never finished: the old
  key still works for whoever has it. A key that was created and never used is pure exposure with no purpose.
  Keys Active in IAM are considered, and so are keys seen acting in CloudTrail but absent from an older IAM snapshot
  (not deleted: no DeleteAccessKey/DeleteUser seen and used after the snapshot; an account with no IAM export at all
  says nothing of whether a key still exists, so its keys are not judged here); age is the key's own creation date,
  or for a key absent from IAM at least the time since CloudTrail first saw it, so a freshly rotated key is young no
  matter how old its user is.
false_positives:
  - Keys for third-party integrations that cannot rotate automatically; rotate them on a calendar and raise max_age_days for them with --param.
remediation:
  summary: Rotate the key (create a new one, switch the consumer, deactivate, delete the old one); delete keys that are not used.
  steps:
    - If the evidence says the key was never used, deactivate it now and delete it after a week if nothing breaks.
    - Otherwise create a new key, update the consumer (the last-used service in the evidence points at it), confirm the old key's last-used date stops advancing, deactivate it, then delete it.
    - Better, replace the key with a role (instance profile, task role, OIDC from CI) so there is nothing to rotate.
    - Automate rotation (Secrets Manager rotation or a scheduled job) for keys that must stay.
  cli:
    - aws iam create-access-key --user-name {user_name}
    - aws iam update-access-key --user-name {user_name} --access-key-id {subject_id} --status Inactive
    - aws iam delete-access-key --user-name {user_name} --access-key-id {subject_id}
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console
  - https://github.com/prowler-cloud/prowler/issues/645
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI7:2025", "NHI1:2025"], mitre_attack: ["T1078.004", "T1098.001"] }
---*/
WITH active AS (
  SELECT c.*,
    count(*) OVER (PARTITION BY c.account_id, c.user_name) AS active_keys,
    max(c.created_at_or_first_seen) OVER (PARTITION BY c.account_id, c.user_name) AS newest_created,
    row_number() OVER (PARTITION BY c.account_id, c.user_name ORDER BY coalesce(c.last_used_at, TIMESTAMP '1970-01-01'), c.created_at_or_first_seen, c.access_key_id) AS staleness_rank,
    date_diff('day', c.created_at_or_first_seen, getvariable('as_of')) AS known_age_days,
    (cr.user_name IS NOT NULL) AS report_covers_user,
    cr.password_enabled
  FROM credentials c
  LEFT JOIN iam_credential_report cr ON cr.account_id = c.account_id AND cr.user_name = c.user_name
  -- keys absent from the IAM snapshot but not deleted are live (newer than the snapshot); in an account with no IAM
  -- export at all nothing says a key seen long ago still exists, so only keys in IAM or newer than a snapshot count
  WHERE c.active AND (c.in_iam OR c.iam_snapshot_at IS NOT NULL) AND c.created_at_or_first_seen IS NOT NULL
),
others AS (
  SELECT a.access_key_id, list({'access_key_id': o.access_key_id, 'created_at': o.created_at, 'last_used_at': o.last_used_at} ORDER BY o.created_at_or_first_seen) AS other_active_keys
  FROM active a JOIN active o ON o.account_id = a.account_id AND o.user_name = a.user_name AND o.access_key_id <> a.access_key_id
  GROUP BY a.access_key_id
),
x AS (
  SELECT a.*, coalesce(o.other_active_keys, []) AS other_active_keys,
    (a.known_age_days > $max_age_days) AS too_old,
    (a.last_used_at IS NULL AND a.known_age_days >= $unused_grace_days) AS never_used,
    (a.active_keys > 1 AND a.staleness_rank = 1 AND date_diff('day', a.newest_created, getvariable('as_of')) >= $rotation_grace_days) AS duplicate
  FROM active a LEFT JOIN others o USING (access_key_id)
)
SELECT
  'access-key' AS subject_type,
  access_key_id AS subject_id,
  account_id,
  user_arn AS principal_arn,
  created_at AS first_seen,
  last_used_at AS last_seen,
  CASE WHEN too_old AND known_age_days > 365 THEN 'high'
       WHEN too_old OR never_used THEN 'medium'
       ELSE 'low' END AS severity,
  format('{} key {} of user {}: {}', CASE WHEN in_iam THEN 'Active' ELSE 'Live' END, access_key_id, coalesce(user_name, '?'), array_to_string(list_filter([
      CASE WHEN too_old AND in_iam THEN 'not rotated for ' || age_days || ' days (created ' || strftime(created_at, '%Y-%m-%d') || ', threshold ' || $max_age_days || ')'
           WHEN too_old THEN 'in use for at least ' || known_age_days || ' days (first seen in CloudTrail ' || strftime(created_at_or_first_seen, '%Y-%m-%d')
             || ', threshold ' || $max_age_days || '; ' || status_text || ')' END,
      CASE WHEN never_used THEN CASE WHEN report_covers_user THEN 'created ' || age_days || ' days ago and never used'
                                     ELSE 'no use recorded since it was created ' || age_days || ' days ago (CloudTrail window; no credential report row to confirm)' END END,
      CASE WHEN duplicate THEN 'one of ' || active_keys || ' active keys on the user, and the one used least recently' END
    ], s -> s IS NOT NULL), '; ')) AS reason,
  {
    'user_name': user_name,
    'key_status': status_text,
    'created_at': created_at,
    'age_days': age_days,
    'first_seen_in_cloudtrail': CASE WHEN NOT in_iam THEN cloudtrail_first_seen END,
    'min_age_days': CASE WHEN NOT in_iam THEN known_age_days END,
    'last_used_at': last_used_at,
    'last_used_source': CASE WHEN last_used_at IS NULL THEN 'never' ELSE last_used_source END,
    'not_rotated': too_old,
    'never_used': never_used,
    'second_active_key': duplicate,
    'other_active_keys': other_active_keys,
    'user_has_console_password': coalesce(password_enabled, false),
    'thresholds': {'max_age_days': $max_age_days, 'unused_grace_days': $unused_grace_days, 'rotation_grace_days': $rotation_grace_days}
  } AS evidence
FROM x
WHERE too_old OR never_used OR duplicate
ORDER BY subject_id
