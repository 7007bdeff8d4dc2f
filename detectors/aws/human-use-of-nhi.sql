/*---
id: aws/human-use-of-nhi
title: A person signed in to the console as a non-human identity
category: human-use-of-nhi
severity: high
confidence: medium
requires: [identities, identity_signals, iam_credential_report, ct_enriched, ct_window]
params:
  min_automation_weight: { type: INTEGER, default: 40, description: "Automation evidence (workload and agent signal weights, see the inventory) that makes an identity non-human even if the console sign-in tips its classification" }
summary: An IAM user or role that is driven by software (classified workload or agent, or carrying strong automation evidence, or named and placed as a service - /ci/, -bot, -svc, purpose tag) signed in to the AWS console or made browser/console calls.
rationale: >-
  A machine identity used by a person breaks both halves of accountability - CloudTrail attributes the person's
  actions to the workload, and the person holds credentials (often broad ones, meant for a pipeline) that no
  offboarding will ever take away from them. It also means the credential is known outside the system that
  should be its only holder (OWASP NHI10, human use of NHI). A console password on a service user is how this
  usually starts. People with their own MFA-protected users who also automate are not reported here (see
  aws/human-key-automation for that direction).
false_positives:
  - A one-off investigation by an administrator who switched into a workload role in the console; confirm with them and prefer read-only roles for that.
remediation:
  summary: Find who signed in, give them their own identity, remove the console access and rotate the identity's credentials.
  steps:
    - Identify the person from the sign-in source addresses and times in the evidence (VPN or office logs, IdP logs).
    - Give them their own access (IAM Identity Center permission set) for whatever they needed.
    - Remove the console password of the service user (or, for a role, narrow its trust policy so people cannot assume it).
    - Rotate the identity's access keys - a person has had access to them.
  cli:
    - aws iam delete-login-profile --user-name {name}
    - aws iam list-access-keys --user-name {name}
references:
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html
mappings: { owasp_nhi: ["NHI10:2025", "NHI4:2025"], mitre_attack: ["T1078.004"] }
---*/
WITH auto AS (
  SELECT id, sum(weight) FILTER (WHERE class IN ('workload', 'agent')) AS automation_weight,
    list(signal || ': ' || detail ORDER BY weight DESC, signal) FILTER (WHERE class IN ('workload', 'agent')) AS automation_signals
  FROM identity_signals GROUP BY id
),
signins AS (
  SELECT principal_arn, count(*) AS n,
    list({'time': first_time, 'source_ip': source_ip, 'user_agent': user_agent, 'mfa': coalesce(mfa_authenticated, false),
          'result': coalesce(json_extract_string(response_elements, '$.ConsoleLogin'), CASE WHEN error_code IS NULL THEN 'Success' ELSE error_code END)}
         ORDER BY first_time)[1:10] AS events,
    list(DISTINCT source_ip ORDER BY source_ip) AS ips
  FROM ct_window
  WHERE event_name = 'ConsoleLogin' OR (event_source = 'signin.amazonaws.com' AND event_name IN ('SwitchRole', 'GetSigninToken'))
  GROUP BY principal_arn
),
browser AS (
  SELECT principal_arn, sum(event_count) AS calls, list(DISTINCT iam_action ORDER BY iam_action)[1:10] AS sample_calls,
    list(DISTINCT source_ip ORDER BY source_ip)[1:5] AS ips, min(first_time) AS first_time, max(last_time) AS last_time
  FROM ct_enriched
  WHERE (ua_kind = 'console' OR console_session) AND event_name <> 'ConsoleLogin' AND event_source <> 'signin.amazonaws.com'
  GROUP BY principal_arn
),
x AS (
  SELECT i.id, i.kind, i.name, i.arn, i.account, i.path, i.classification, i.tags,
    coalesce(au.automation_weight, 0) AS automation_weight, coalesce(au.automation_signals, []) AS automation_signals,
    s.n AS signins, s.events AS signin_events, s.ips AS signin_ips,
    b.calls AS browser_calls, b.sample_calls, b.ips AS browser_ips,
    cr.password_enabled, cr.mfa_active, cr.password_last_used,
    least(s.events[1].time, b.first_time) AS first_seen, greatest(s.events[-1].time, b.last_time) AS last_seen,
    (i.path SIMILAR TO '/(ci|cd|service|services|svc|bots?|automation|system|machine)/.*'
      OR regexp_matches(lower(i.name), '(^|[-_.])(ci|cd|bot|svc|service|deploy|deployer|pipeline|runner|etl|agent|automation|sync|cron|job)([-_.]|$)')
      OR coalesce(json_extract_string(i.tags, '$.purpose'), '') <> '') AS declared_service
  FROM identities i
  LEFT JOIN auto au ON au.id = i.id
  LEFT JOIN signins s ON s.principal_arn = i.id
  LEFT JOIN browser b ON b.principal_arn = i.id
  LEFT JOIN iam_credential_report cr ON i.kind = 'iam-user' AND cr.arn = i.arn
  WHERE i.kind IN ('iam-user', 'iam-role') AND i.classification <> 'aws-service'
    AND (s.n > 0 OR b.calls > 0)
),
nhi_users AS (
  SELECT *,
    CASE WHEN classification IN ('workload', 'agent') THEN 'classified ' || classification
         WHEN declared_service THEN 'named and placed as a service (' || CASE WHEN path <> '/' THEN 'path ' || path || ', ' ELSE '' END || 'name ' || name || ')'
         WHEN automation_weight >= $min_automation_weight AND NOT (coalesce(password_enabled, false) AND coalesce(mfa_active, false))
           AND NOT (kind = 'iam-role' AND classification = 'human')
           THEN 'automation evidence outweighs the console use (weight ' || automation_weight || ')' END AS why_nhi
  FROM x
)
SELECT
  kind AS subject_type,
  id AS subject_id,
  account AS account_id,
  arn AS principal_arn,
  first_seen,
  last_seen,
  CASE WHEN classification = 'agent' THEN 'critical' ELSE 'high' END AS severity,
  format('{} {} is a non-human identity ({}) used by a person: {}', replace(kind, 'iam-', ''), name, why_nhi,
    array_to_string(list_filter([
      CASE WHEN signins > 0 THEN signins || ' console sign-in(s) from ' || array_to_string(signin_ips[1:3], ', ')
        || CASE WHEN NOT list_bool_or(list_transform(signin_events, e -> e.mfa)) THEN ' without MFA' ELSE '' END END,
      CASE WHEN browser_calls > 0 THEN browser_calls || ' console/browser call(s) (' || array_to_string(sample_calls[1:3], ', ') || ')' END
    ], s -> s IS NOT NULL), '; ')) AS reason,
  {
    'name': name,
    'classification': classification,
    'why_non_human': why_nhi,
    'automation_signals': automation_signals[1:6],
    'console_signins': coalesce(signin_events, []),
    'browser_calls': coalesce(browser_calls, 0),
    'browser_sample_calls': coalesce(sample_calls, []),
    'browser_source_ips': coalesce(browser_ips, []),
    'console_password': coalesce(password_enabled, false),
    'mfa_active': coalesce(mfa_active, false),
    'password_last_used': password_last_used
  } AS evidence
FROM nhi_users
WHERE why_nhi IS NOT NULL
ORDER BY subject_id
