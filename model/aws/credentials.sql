/*---
name: credentials
kind: table
reads: [cloudtrail_events, iam_access_keys, iam_credential_report, iam_principals, iam_snapshots]
params: [as_of]
summary: >-
  Long-term credentials (access keys): the IAM export, the credential report and CloudTrail joined; keys seen only in CloudTrail are included (in_iam = false). last_used_at and where it came from. A key absent from the IAM export is `deleted` only when a DeleteAccessKey of it or a DeleteUser of its user was seen, or its last use predates the account's IAM snapshot (iam_snapshot_at); otherwise it is live, newer than the snapshot, and every detector treats it as live: `active` (Active in IAM, or absent and not deleted), `status_text` (the IAM status, 'deleted', or 'not in the IAM snapshot of <time>'), `created_at_or_first_seen` (creation date, or for a key absent from IAM the first CloudTrail sighting: a lower bound of its age).
---*/
CREATE OR REPLACE TABLE credentials AS
WITH keys AS (
  SELECT k.access_key_id, k.account_id, k.user_name, coalesce(p.arn, k.user_arn) AS user_arn, k.status, k.created_at,
    k.last_used_at AS api_last_used,
    row_number() OVER (PARTITION BY k.account_id, k.user_name ORDER BY k.created_at, k.access_key_id) AS slot_guess
  FROM iam_access_keys k LEFT JOIN iam_principals p ON p.principal_type = 'user' AND p.account_id = k.account_id AND p.name = k.user_name
),
seen AS (
  SELECT access_key_id, any_value(account_id) AS account_id, any_value(principal_arn) AS user_arn,
    any_value(user_name) AS user_name, min(first_time) AS first_seen, max(last_time) AS last_seen
  FROM cloudtrail_events WHERE starts_with(access_key_id, 'AKIA') AND identity_type = 'IAMUser'
  GROUP BY access_key_id
),
allkeys AS (
  SELECT access_key_id, account_id, user_name, user_arn, status, created_at, api_last_used, true AS in_iam FROM keys
  UNION ALL
  SELECT s.access_key_id, s.account_id, coalesce(s.user_name, regexp_extract(s.user_arn, '/([^/]+)$', 1)), s.user_arn, NULL, NULL, NULL, false
  FROM seen s WHERE s.access_key_id NOT IN (SELECT access_key_id FROM keys)
)
SELECT *,
  -- live for every detector: Active in IAM, or absent from the IAM snapshot and not deleted (newer than the snapshot)
  NOT deleted AND coalesce(status, 'Active') = 'Active' AS active,
  CASE WHEN in_iam THEN status WHEN deleted THEN 'deleted'
       ELSE 'not in the IAM snapshot of ' || coalesce(strftime(iam_snapshot_at, '%Y-%m-%dT%H:%M:%SZ'), '(no IAM export for this account)') END AS status_text,
  -- age: the key's creation date; for a key absent from IAM, at least since CloudTrail first saw it
  coalesce(created_at, cloudtrail_first_seen) AS created_at_or_first_seen
FROM (
SELECT a.access_key_id, a.account_id, a.user_name, a.user_arn, a.status, a.created_at, a.in_iam,
  snap.snapshot_at AS iam_snapshot_at,
  NOT a.in_iam AND (
    EXISTS (SELECT 1 FROM cloudtrail_events d WHERE d.event_name = 'DeleteAccessKey' AND d.error_code IS NULL
      AND json_extract_string(d.request_parameters, '$.accessKeyId') = a.access_key_id)
    OR EXISTS (SELECT 1 FROM cloudtrail_events d WHERE d.event_name = 'DeleteUser' AND d.error_code IS NULL
      AND coalesce(d.recipient_account_id, d.account_id) = a.account_id AND json_extract_string(d.request_parameters, '$.userName') = a.user_name)
    OR coalesce(s.last_seen < snap.snapshot_at, false)) AS deleted,
  date_diff('day', a.created_at, getvariable('as_of')) AS age_days,
  s.first_seen AS cloudtrail_first_seen, s.last_seen AS cloudtrail_last_seen,
  -- GetAccessKeyLastUsed (live collection) is exact; the credential report is matched by rotation time.
  coalesce(a.api_last_used, CASE WHEN cr.key1_last_rotated IS NOT NULL AND abs(date_diff('second', cr.key1_last_rotated, a.created_at)) < 120 THEN cr.key1_last_used
       WHEN cr.key2_last_rotated IS NOT NULL AND abs(date_diff('second', cr.key2_last_rotated, a.created_at)) < 120 THEN cr.key2_last_used END) AS report_last_used,
  greatest(s.last_seen, coalesce(a.api_last_used, CASE WHEN cr.key1_last_rotated IS NOT NULL AND abs(date_diff('second', cr.key1_last_rotated, a.created_at)) < 120 THEN cr.key1_last_used
       WHEN cr.key2_last_rotated IS NOT NULL AND abs(date_diff('second', cr.key2_last_rotated, a.created_at)) < 120 THEN cr.key2_last_used END)) AS last_used_at,
  CASE WHEN s.last_seen IS NOT NULL THEN 'cloudtrail' WHEN a.api_last_used IS NOT NULL THEN 'get-access-key-last-used'
       WHEN cr.user_name IS NOT NULL THEN 'credential-report' END AS last_used_source
FROM allkeys a
LEFT JOIN seen s USING (access_key_id)
LEFT JOIN iam_credential_report cr ON cr.account_id = a.account_id AND cr.user_name = a.user_name
LEFT JOIN (SELECT account_id, max(snapshot_at) AS snapshot_at FROM iam_snapshots GROUP BY account_id) snap ON snap.account_id = a.account_id
) x
