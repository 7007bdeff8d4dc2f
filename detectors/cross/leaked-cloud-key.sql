/*---
id: cross/leaked-cloud-key
title: Cloud key exposed in a repository, with its IAM state and use after the leak
category: leaked-credential
severity: high
confidence: high
requires: [github_secret_alerts, credentials, cloudtrail_events]
summary: An open GitHub secret-scanning alert for a cloud credential (AWS, Google Cloud, Azure, …) that no IAM or CloudTrail access key matches - other clouds' keys, and AWS keys absent from the exports (an account not scanned, or a key already deleted); alerts for known AWS keys are part of aws/leaked-credential's one finding per key.
rationale: >-
  A committed cloud key is public to everyone who can read the repository (and its forks and clones) for as
  long as it stays active. The alert alone does not say whether the key still works or is being used:
  joining the key id to IAM and CloudTrail does. A key that is still active and made calls after GitHub
  raised the alert is an incident, not a hygiene item. When the key id matches an access key in the scanned
  accounts, aws/leaked-credential reports it (one finding per key, with this alert next to every other source that
  saw the key); this detector keeps the alerts nothing else can report.
false_positives:
  - Example keys in documentation that GitHub could not validate (validity "unknown" or "inactive") and that match no IAM key.
  - The alert is open but the key was already deleted; the evidence then shows the key absent from IAM and no later use — close the alert as revoked.
remediation:
  summary: Deactivate the key now, check what it did since the leak, then rotate and close the alert as revoked.
  steps:
    - Deactivate the access key (the command below) — deactivation is reversible, deletion is not.
    - Review CloudTrail for the key after the alert time (the evidence counts the calls and names the source IPs' first and last use).
    - Move the workload to a role with short-lived credentials (OIDC for CI), delete the key, and remove it from the repository history.
    - Close the secret-scanning alert with resolution "revoked".
  cli:
    - "aws iam update-access-key --user-name {iam_user} --access-key-id {key_id} --status Inactive"
    - "gh api -X PATCH repos/{account_id}/{repo}/secret-scanning/alerts/{alert_number} -f state=resolved -f resolution=revoked"
references:
  - https://docs.github.com/en/code-security/secret-scanning/managing-alerts-from-secret-scanning/about-alerts
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console
mappings: { owasp_nhi: ["NHI2:2025"], mitre_attack: ["T1552.001", "T1078.004"] }
---*/
WITH a AS (
  SELECT * FROM github_secret_alerts
  WHERE state = 'open'
    -- a key IAM or CloudTrail knows is aws/leaked-credential's (one finding per leaked key)
    AND (key_id IS NULL OR key_id NOT IN (SELECT access_key_id FROM credentials))
    AND (secret_type LIKE 'aws\_%' ESCAPE '\' OR secret_type LIKE 'amazon\_%' ESCAPE '\' OR secret_type LIKE 'google\_cloud%' ESCAPE '\'
         OR secret_type LIKE 'gcp\_%' ESCAPE '\' OR secret_type LIKE 'azure\_%' ESCAPE '\' OR secret_type LIKE 'alibaba\_%' ESCAPE '\'
         OR secret_type LIKE 'digitalocean\_%' ESCAPE '\' OR secret_type LIKE 'oci\_%' ESCAPE '\' OR key_id IS NOT NULL)
),
after AS (
  SELECT a.org, a.repo, a.number, sum(e.event_count)::BIGINT AS calls, min(e.first_time) AS first_use, max(e.last_time) AS last_use,
    list(DISTINCT e.source_ip ORDER BY e.source_ip)[1:5] AS source_ips,
    list(DISTINCT e.event_name ORDER BY e.event_name)[1:10] AS events
  FROM a JOIN cloudtrail_events e ON e.access_key_id = a.key_id AND e.last_time >= a.created_at
  GROUP BY a.org, a.repo, a.number
)
SELECT
  'secret-scanning-alert' AS subject_type,
  'github://' || a.org || '/' || a.repo || '/secret-scanning/' || a.number AS subject_id,
  a.org AS account_id,
  c.user_arn AS principal_arn,
  a.created_at AS first_seen,
  coalesce(af.last_use, a.updated_at) AS last_seen,
  CASE WHEN coalesce(af.calls, 0) > 0 AND coalesce(c.status, 'Active') = 'Active' THEN 'critical'
       WHEN c.status = 'Active' OR a.validity = 'active' THEN 'critical'
       WHEN c.status = 'Inactive' OR a.validity = 'inactive' THEN 'medium'
       ELSE 'high' END AS severity,
  format('{} exposed in {}{} (alert #{}, {}){}{}', coalesce(a.secret_type_display_name, a.secret_type), a.repo,
    coalesce(':' || a.location_path || coalesce(':' || a.location_line, ''), ''), a.number, 'validity ' || coalesce(a.validity, 'unknown'),
    CASE WHEN a.key_id IS NULL THEN ''
         WHEN c.access_key_id IS NULL THEN '; key ' || a.key_id || ' is not in the IAM exports'
         ELSE '; key ' || a.key_id || ' of IAM user ' || coalesce(c.user_name, '?') || ' is ' || coalesce(c.status, 'seen in CloudTrail only') END,
    CASE WHEN coalesce(af.calls, 0) > 0 THEN '; used ' || af.calls || ' time(s) after the alert, last ' || strftime(af.last_use, '%Y-%m-%d %H:%M') || ' UTC' ELSE '' END) AS reason,
  {
    'repo': a.repo,
    'alert_number': a.number,
    'alert_url': a.html_url,
    'secret_type': a.secret_type,
    'validity': a.validity,
    'publicly_leaked': a.publicly_leaked,
    'alert_created_at': a.created_at,
    'key_id': coalesce(a.key_id, '<key-id>'),
    'iam_user': coalesce(c.user_name, '<user>'),
    'iam_user_arn': c.user_arn,
    'iam_account': c.account_id,
    'key_status': c.status,
    'key_last_used_at': c.last_used_at,
    'calls_after_alert': coalesce(af.calls, 0),
    'first_use_after_alert': af.first_use,
    'last_use_after_alert': af.last_use,
    'source_ips_after_alert': coalesce(af.source_ips, []),
    'events_after_alert': coalesce(af.events, []),
    'location': CASE WHEN a.location_path IS NOT NULL THEN {'repo': a.repo, 'path': a.location_path, 'line': a.location_line} END
  } AS evidence
FROM a
LEFT JOIN credentials c ON c.access_key_id = a.key_id
LEFT JOIN after af ON af.org = a.org AND af.repo = a.repo AND af.number = a.number
ORDER BY subject_id
