/*---
id: aws/leaked-credential
title: Access key leaked - verified by a secret scanner, quarantined by AWS, alerted by GitHub secret scanning, or reported by a leak scan
category: leaked-credential
severity: critical
confidence: high
requires: [credentials, cloudtrail_events, iam_principals, leak_reports, github_secret_alerts, ct_enriched]
summary: An IAM access key that a secret-verification tool (TruffleHog …) tested with GetCallerIdentity, whose user carries AWS's compromised-key quarantine policy (AWSCompromisedKeyQuarantine*), that GitHub secret scanning raised an alert for (collected by the GitHub connector), or that appears in an imported leak report (--leaks - gitleaks, TruffleHog, GitHub secret scanning); one finding per key with every source that saw it, the key's status and every use after the leak.
rationale: >-
  A secret scanner calling GetCallerIdentity with one of your keys means someone found the key and checked that
  it works - attackers run the same tools over public repositories, paste sites and container images. AWS
  attaches the quarantine policy when it finds a key exposed in public. A leak report from your own scanners
  says where the key is written down. What matters next is whether the key is still active and whether anyone
  used it after the leak - every call after that time, from an address or client the workload never used, is
  presumed hostile. Leak reports and alerts are matched by access key id only; secret values are never read into
  the store. This detector owns every leaked key that IAM or CloudTrail knows (cross/leaked-cloud-key reports only
  the alerts it cannot match to one), so a key seen by several sources is one finding.
false_positives:
  - Your own security team verifying keys with TruffleHog (check the source address); the key is still exposed somewhere.
  - Test keys committed on purpose; deactivate them anyway.
remediation:
  summary: Deactivate the key now, find out what was done with it after the leak, then delete it and remove it from where it leaked.
  steps:
    - Deactivate the key immediately (the command below); if it is a workload's only credential, accept the outage or move the workload to a role first, within the hour.
    - Review every call after the leak time in the evidence (source addresses, clients, actions) and in CloudTrail, and undo anything the attacker created (users, keys, instances, Lambda functions, Bedrock model access).
    - Delete the key and remove it from the leaked location (the evidence names the file, commit or alert) - and from git history, since forks keep it.
    - Keep AWS's quarantine policy attached until the support case is closed; give the workload a role instead of a new key.
    - Close the GitHub secret-scanning alerts in evidence.secret_scanning_alerts as revoked once the key is inactive (gh api -X PATCH repos/OWNER/REPO/secret-scanning/alerts/NUMBER -f state=resolved -f resolution=revoked).
  cli:
    - aws iam update-access-key --user-name {user_name} --access-key-id {subject_id} --status Inactive
    - aws iam delete-access-key --user-name {user_name} --access-key-id {subject_id}
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys_compromised.html
  - https://github.com/SigmaHQ/sigma/pull/5688
  - https://docs.github.com/en/code-security/secret-scanning/managing-alerts-from-secret-scanning
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI2:2025", "NHI7:2025"], mitre_attack: ["T1552.001", "T1078.004", "T1589.001"] }
---*/
WITH verifications AS (
  SELECT access_key_id, min(first_time) AS first_time,
    list({'time': first_time, 'source_ip': source_ip, 'user_agent': user_agent, 'tools': tools, 'result': coalesce(error_code, 'Success')} ORDER BY first_time)[1:10] AS events
  FROM ct_enriched
  WHERE starts_with(access_key_id, 'AKIA') AND event_name = 'GetCallerIdentity' AND list_contains(list_transform(tools, t -> t LIKE '%secret%'), true)
  GROUP BY access_key_id
),
quarantined_users AS (
  SELECT p.account_id, p.name AS user_name, p.arn,
    list_filter(from_json(p.attached_policies, '["VARCHAR"]'), x -> x LIKE 'AWSCompromisedKeyQuarantine%') AS policies
  FROM iam_principals p
  WHERE p.principal_type = 'user' AND p.attached_policies::VARCHAR LIKE '%AWSCompromisedKeyQuarantine%'
),
quarantine_events AS (
  SELECT account_id, json_extract_string(request_parameters, '$.userName') AS user_name, min(first_time) AS attached_at
  FROM cloudtrail_events
  WHERE event_source = 'iam.amazonaws.com' AND event_name = 'AttachUserPolicy' AND error_code IS NULL
    AND json_extract_string(request_parameters, '$.policyArn') LIKE '%AWSCompromisedKeyQuarantine%'
  GROUP BY ALL
),
quarantine AS (
  -- AWS quarantines the user; the active keys are the ones it is about (all keys if none is active)
  SELECT c.access_key_id, q.policies, qe.attached_at
  FROM quarantined_users q
  JOIN credentials c ON c.account_id = q.account_id AND c.user_name = q.user_name
  LEFT JOIN quarantine_events qe ON qe.account_id = q.account_id AND qe.user_name = q.user_name
  WHERE NOT c.deleted AND (c.active OR NOT EXISTS (SELECT 1 FROM credentials c2 WHERE c2.user_name = q.user_name AND c2.account_id = q.account_id AND c2.active))
),
alerts AS (
  -- GitHub secret-scanning alerts from the connector: open ones, and ones closed as revoked whose key is still active
  SELECT a.key_id AS access_key_id, min(a.created_at) AS alerted_at, bool_or(a.validity = 'active') AS github_says_active,
    list({'repo': a.org || '/' || a.repo, 'alert_number': a.number, 'url': a.html_url, 'state': a.state, 'resolution': a.resolution,
          'validity': a.validity, 'publicly_leaked': a.publicly_leaked, 'created_at': a.created_at,
          'location': a.location_path || coalesce(':' || a.location_line, '')} ORDER BY a.created_at, a.org, a.repo, a.number)[1:10] AS items
  FROM github_secret_alerts a JOIN credentials c ON c.access_key_id = a.key_id
  WHERE a.state = 'open' OR (a.resolution = 'revoked' AND c.active)
  GROUP BY a.key_id
),
reports AS (
  SELECT access_key_id, min(leaked_at) AS leaked_at,
    list({'tool': tool, 'leaked_at': leaked_at, 'location': location, 'rule': rule, 'verified': verified, 'report': source_file} ORDER BY leaked_at NULLS LAST, tool)[1:10] AS items
  FROM leak_reports GROUP BY access_key_id
),
leaked AS (
  SELECT c.access_key_id, c.account_id, c.user_name, c.user_arn, c.status, c.in_iam, c.deleted, c.status_text, c.created_at,
    v.events AS verifications, v.first_time AS verified_at, q.policies AS quarantine_policies, q.attached_at AS quarantined_at,
    r.items AS report_items, r.leaked_at AS reported_leaked_at, g.items AS alert_items, g.alerted_at, coalesce(g.github_says_active, false) AS github_says_active,
    least(v.first_time, q.attached_at, r.leaked_at, g.alerted_at) AS leak_time
  FROM credentials c
  LEFT JOIN verifications v USING (access_key_id)
  LEFT JOIN quarantine q USING (access_key_id)
  LEFT JOIN reports r USING (access_key_id)
  LEFT JOIN alerts g USING (access_key_id)
  WHERE v.access_key_id IS NOT NULL OR q.access_key_id IS NOT NULL OR r.access_key_id IS NOT NULL OR g.access_key_id IS NOT NULL
),
seen_before AS (
  SELECT l.access_key_id, list(DISTINCT coalesce(nullif(regexp_extract(e.source_ip, '^(\d+\.\d+)\.', 1), ''), e.source_ip)) AS nets
  FROM leaked l JOIN ct_enriched e ON e.access_key_id = l.access_key_id
  WHERE l.leak_time IS NOT NULL AND e.first_time < l.leak_time AND len(e.scanners) = 0
  GROUP BY l.access_key_id
),
after AS (
  SELECT l.access_key_id, sum(e.event_count) AS calls,
    coalesce(sum(e.event_count) FILTER (WHERE e.error_code IS NULL), 0) AS ok_calls,
    coalesce(sum(e.event_count) FILTER (WHERE e.error_code IS NOT NULL), 0) AS failed_calls,
    list(DISTINCT e.source_ip ORDER BY e.source_ip)[1:10] AS source_ips,
    list(DISTINCT e.source_ip ORDER BY e.source_ip) FILTER (WHERE NOT list_contains(coalesce(sb.nets, []), coalesce(nullif(regexp_extract(e.source_ip, '^(\d+\.\d+)\.', 1), ''), e.source_ip))) AS new_ips,
    coalesce(sum(e.event_count) FILTER (WHERE NOT list_contains(coalesce(sb.nets, []), coalesce(nullif(regexp_extract(e.source_ip, '^(\d+\.\d+)\.', 1), ''), e.source_ip))), 0) AS new_ip_calls,
    list(DISTINCT e.ua_family ORDER BY e.ua_family) AS clients,
    list(DISTINCT e.iam_action ORDER BY e.iam_action)[1:15] AS actions,
    min(e.first_time) AS first_use, max(e.last_time) AS last_use
  FROM leaked l JOIN ct_enriched e ON e.access_key_id = l.access_key_id
  LEFT JOIN seen_before sb ON sb.access_key_id = l.access_key_id
  WHERE e.last_time > coalesce(l.leak_time, getvariable('window_start')) AND len(e.scanners) = 0
  GROUP BY l.access_key_id
)
SELECT
  'access-key' AS subject_type,
  l.access_key_id AS subject_id,
  l.account_id,
  l.user_arn AS principal_arn,
  l.leak_time AS first_seen,
  coalesce(a.last_use, l.leak_time) AS last_seen,
  CASE WHEN NOT l.in_iam AND l.github_says_active THEN 'critical'
       WHEN l.deleted THEN 'low'
       WHEN l.status = 'Inactive' THEN 'medium'
       WHEN coalesce(a.calls, 0) > 0 OR l.quarantine_policies IS NOT NULL THEN 'critical'
       ELSE 'high' END AS severity,
  format('Key {} of user {} ({}) leaked: {}{}', l.access_key_id, coalesce(l.user_name, '?'),
    CASE WHEN NOT l.in_iam AND l.github_says_active THEN 'not in the IAM exports; GitHub validated it as active'
         ELSE coalesce(l.status_text, 'status unknown') END,
    array_to_string(list_filter([
      CASE WHEN l.verifications IS NOT NULL THEN 'verified by ' || array_to_string(list_distinct(flatten(list_transform(l.verifications, v -> v.tools))), ', ')
        || ' (GetCallerIdentity from ' || l.verifications[1].source_ip || ' on ' || strftime(l.verified_at, '%Y-%m-%d %H:%M') || ' UTC)' END,
      CASE WHEN l.quarantine_policies IS NOT NULL THEN 'AWS attached ' || array_to_string(l.quarantine_policies, ', ')
        || coalesce(' on ' || strftime(l.quarantined_at, '%Y-%m-%d'), '') END,
      CASE WHEN l.alert_items IS NOT NULL THEN 'GitHub secret scanning alert ' || array_to_string(list_transform(l.alert_items, x -> x.repo || '#' || x.alert_number
        || coalesce(' (' || nullif(x.location, '') || ', validity ' || coalesce(x.validity, 'unknown') || ')', '')), ', ')
        || ' raised ' || strftime(l.alerted_at, '%Y-%m-%d') END,
      CASE WHEN l.report_items IS NOT NULL THEN 'in ' || len(l.report_items) || ' leak report item(s) (' || array_to_string(list_distinct(list_transform(l.report_items, x -> x.tool)), ', ')
        || coalesce(', leaked ' || strftime(l.reported_leaked_at, '%Y-%m-%d'), '') || ')' END
    ], s -> s IS NOT NULL), '; '),
    CASE WHEN coalesce(a.calls, 0) > 0 THEN '; used ' || a.calls || ' time(s) ' || CASE WHEN l.leak_time IS NULL THEN 'in the window (leak time unknown)' ELSE 'after the leak' END
           || ' (' || a.ok_calls || ' succeeded)'
           || CASE WHEN l.leak_time IS NOT NULL AND a.new_ip_calls > 0 THEN ', ' || a.new_ip_calls || ' of them from networks (/16) never seen before the leak: ' || array_to_string(a.new_ips[1:3], ', ')
                   WHEN l.leak_time IS NOT NULL THEN ', all from networks (/16) it used before the leak'
                   ELSE ' from ' || array_to_string(a.source_ips[1:3], ', ') END
         ELSE '; no use after the leak in the window' END) AS reason,
  {
    'user_name': l.user_name,
    'key_status': CASE WHEN NOT l.in_iam AND l.github_says_active THEN 'not in IAM exports (GitHub: active)' ELSE l.status_text END,
    'key_created_at': l.created_at,
    'leak_time': l.leak_time,
    'secret_scanner_verifications': coalesce(l.verifications, []),
    'quarantine_policies': coalesce(l.quarantine_policies, []),
    'quarantined_at': l.quarantined_at,
    'leak_reports': coalesce(l.report_items, []),
    'secret_scanning_alerts': coalesce(l.alert_items, []),
    'use_after_leak': {
      'since': coalesce(l.leak_time, getvariable('window_start')), 'leak_time_known': l.leak_time IS NOT NULL,
      'calls': coalesce(a.calls, 0), 'successful_calls': coalesce(a.ok_calls, 0), 'failed_calls': coalesce(a.failed_calls, 0),
      'source_ips': coalesce(a.source_ips, []), 'new_source_ips': CASE WHEN l.leak_time IS NOT NULL THEN coalesce(a.new_ips, [])[1:10] END,
      'calls_from_new_source_ips': CASE WHEN l.leak_time IS NOT NULL THEN a.new_ip_calls END, 'clients': coalesce(a.clients, []), 'actions': coalesce(a.actions, []),
      'first_use': a.first_use, 'last_use': a.last_use
    }
  } AS evidence
FROM leaked l
LEFT JOIN after a USING (access_key_id)
ORDER BY subject_id
