/*---
id: aws/human-key-automation
title: A person's access key is also driven by software (cron job, script or AI agent)
category: human-key-automation
severity: high
confidence: medium
requires: [credentials, iam_credential_report, identities, activity_v, ct_enriched, iam_principals]
params:
  office_start_hour: { type: INTEGER, default: 8, description: "Start of office hours (UTC hour, inclusive) for the interactive-CLI and off-hours signals" }
  office_end_hour: { type: INTEGER, default: 19, description: "End of office hours (UTC hour, exclusive)" }
  min_days: { type: INTEGER, default: 3, description: "Software activity must span at least this many days to count as a cadence" }
  min_hours_of_day: { type: INTEGER, default: 12, description: "Software calls in at least this many distinct hours of the day read as round-the-clock" }
  min_off_hours_share: { type: DOUBLE, default: 0.3, description: "Share of software calls at night or at weekends that reads as unattended" }
  min_regular_share: { type: DOUBLE, default: 0.6, description: "Share of gaps between active hours that equal the most common gap (a fixed schedule)" }
summary: A long-term key that belongs to a person (the user signs in to the console, has a password with MFA, or uses the same key from an interactive CLI in office hours) also makes SDK or LLM calls on a machine cadence - around the clock, at night, on a fixed schedule - or from an AI-agent framework.
rationale: >-
  When a developer's personal key runs a cron job or an agent, the software acts with everything that person
  may do, for as long as the key lives, and nobody can tell the person's actions from the job's. The key now
  sits in a crontab, an .env file or an agent config on a server, outside the person's laptop; if it leaks the
  blast radius is the person's whole access, and when the person leaves, offboarding their key breaks the job
  (or, worse, nobody offboards it). The CloudTrail rollup is hourly, so cadence is read from which hours of the
  day the software was active, how regular the gaps between active hours are, and how much ran at night or at
  weekends.
false_positives:
  - A developer who runs long experiments from their own machine at night; the source addresses in the evidence tell a laptop from a server.
  - Office hours differ from the UTC defaults; set office_start_hour and office_end_hour.
remediation:
  summary: Give the job its own identity with only the permissions it needs, take the person's key off the server, and rotate it.
  steps:
    - Find the host running the job from the software source addresses and user agents in the evidence, and ask the key owner what it is.
    - Create a role for the job (instance profile or task role on AWS, IAM Roles Anywhere off AWS) with only the actions it used; register it (owner, purpose) if it is an AI agent.
    - Switch the job to the role and remove the person's key from the host's configuration.
    - Rotate the person's key (it has been stored on a server), or better, move the person to IAM Identity Center and delete the key.
  cli:
    - aws iam create-access-key --user-name {user_name}
    - aws iam update-access-key --user-name {user_name} --access-key-id {subject_id} --status Inactive
    - aws iam delete-access-key --user-name {user_name} --access-key-id {subject_id}
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp
  - https://docs.aws.amazon.com/rolesanywhere/latest/userguide/introduction.html
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI10:2025", "NHI7:2025", "NHI5:2025"], mitre_attack: ["T1078.004"] }
---*/
WITH ev AS (
  SELECT access_key_id, event_hour, event_count AS n, user_agent, ua_family, source_ip, agent_tokens, is_llm_call,
    (ua_kind IN ('sdk', 'iac', 'raw-http', 'llm-client') OR len(agent_tokens) > 0 OR is_llm_call) AS software,
    (ua_kind = 'cli' AND len(agent_tokens) = 0 AND len(ci_markers) = 0) AS plain_cli,
    (hour(event_hour) >= $office_start_hour AND hour(event_hour) < $office_end_hour AND isodow(event_hour) <= 5) AS office
  FROM ct_enriched
  WHERE starts_with(access_key_id, 'AKIA') AND error_code IS NULL AND len(scanners) = 0
),
hourly AS (
  SELECT access_key_id, event_hour, sum(n) AS c FROM ev WHERE software GROUP BY ALL
),
gaps AS (
  SELECT access_key_id, date_diff('hour', lag(event_hour) OVER (PARTITION BY access_key_id ORDER BY event_hour), event_hour) AS gap FROM hourly
),
gap_mode AS (
  SELECT access_key_id, arg_max(gap, k) AS common_gap_hours, max(k) / sum(k) AS regular_share, sum(k) AS gaps
  FROM (SELECT access_key_id, gap, count(*) AS k FROM gaps WHERE gap IS NOT NULL GROUP BY ALL) GROUP BY access_key_id
),
cadence AS (
  SELECT h.access_key_id, count(*) AS active_hours, count(DISTINCT hour(event_hour)) AS hours_of_day,
    count(DISTINCT date_trunc('day', event_hour)) AS days, sum(c) AS software_calls,
    coalesce(sum(c) FILTER (WHERE NOT (hour(event_hour) >= $office_start_hour AND hour(event_hour) < $office_end_hour AND isodow(event_hour) <= 5)), 0) AS off_hours_calls,
    coalesce(sum(c) FILTER (WHERE isodow(event_hour) >= 6), 0) AS weekend_calls,
    round(coalesce(stddev_pop(c) / nullif(avg(c), 0), 0), 3) AS hourly_count_cv,
    min(event_hour) AS first_hour, max(event_hour) AS last_hour
  FROM hourly h GROUP BY h.access_key_id
),
soft AS (
  SELECT access_key_id,
    list(DISTINCT ua_family ORDER BY ua_family) AS families,
    list_sort(list_distinct(flatten(list(agent_tokens) FILTER (WHERE len(agent_tokens) > 0)))) AS frameworks_raw,
    coalesce(sum(n) FILTER (WHERE is_llm_call), 0) AS llm_calls,
    min(user_agent) AS sample_user_agent,
    list(DISTINCT source_ip ORDER BY source_ip)[1:5] AS source_ips
  FROM ev WHERE software GROUP BY access_key_id
),
interactive AS (
  SELECT access_key_id, sum(n) AS calls, list(DISTINCT source_ip ORDER BY source_ip)[1:5] AS source_ips, count(DISTINCT date_trunc('day', event_hour)) AS days
  FROM ev WHERE plain_cli AND office GROUP BY access_key_id
),
k AS (
  SELECT c.access_key_id, c.account_id, c.user_name, c.user_arn, c.status, c.age_days,
    cr.password_enabled, cr.mfa_active, cr.password_last_used,
    coalesce(pa.console_logins, 0) AS console_logins, coalesce(pa.console_calls, 0) AS console_calls,
    i.classification AS user_classification,
    (up.path SIMILAR TO '/(ci|cd|service|services|svc|bots?|automation|system|machine)/.*'
      OR regexp_matches(lower(c.user_name), '(^|[-_.])(ci|cd|bot|svc|service|deploy|deployer|pipeline|runner|etl|agent|automation|sync|cron|job)([-_.]|$)')
      OR coalesce(json_extract_string(up.tags, '$.purpose'), '') <> '') AS declared_service,
    ia.calls AS interactive_cli_calls, ia.source_ips AS interactive_ips, ia.days AS interactive_days,
    cad.*, s.families, s.llm_calls,
    CASE WHEN len(s.frameworks_raw) > 1 THEN list_filter(s.frameworks_raw, x -> NOT starts_with(x, 'AI framework (')) ELSE s.frameworks_raw END AS frameworks, s.sample_user_agent, s.source_ips AS software_ips,
    gm.common_gap_hours, round(gm.regular_share, 3) AS regular_share, coalesce(gm.gaps, 0) AS gaps,
    ka.first_seen, ka.last_seen
  FROM credentials c
  JOIN cadence cad USING (access_key_id)
  JOIN soft s USING (access_key_id)
  LEFT JOIN gap_mode gm USING (access_key_id)
  LEFT JOIN interactive ia USING (access_key_id)
  LEFT JOIN activity_v ka ON ka.subject_type = 'access-key' AND ka.subject_id = c.access_key_id
  LEFT JOIN activity_v pa ON pa.subject_type = 'principal' AND pa.subject_id = c.user_arn
  LEFT JOIN iam_credential_report cr ON cr.account_id = c.account_id AND cr.user_name = c.user_name
  LEFT JOIN identities i ON i.id = c.user_arn
  LEFT JOIN iam_principals up ON up.principal_type = 'user' AND up.arn = c.user_arn
  WHERE NOT c.deleted
),
x AS (
  SELECT *,
    list_filter([
      CASE WHEN console_logins > 0 THEN 'the user signed in to the console ' || console_logins || ' time(s)' END,
      CASE WHEN console_logins = 0 AND console_calls > 0 THEN 'the user worked in the console (' || console_calls || ' calls)' END,
      CASE WHEN password_enabled AND mfa_active THEN 'the user has a console password with MFA' END,
      CASE WHEN password_enabled AND NOT coalesce(mfa_active, false) THEN 'the user has a console password' END,
      CASE WHEN interactive_cli_calls > 0 AND user_classification = 'human'
        THEN 'the same key ran the AWS CLI in office hours (' || interactive_cli_calls || ' calls on ' || interactive_days || ' day(s))' END
    ], s -> s IS NOT NULL) AS person_signals,
    list_filter([
      CASE WHEN len(frameworks) > 0 THEN 'AI-agent framework in the user agent: ' || array_to_string(frameworks, ', ') END,
      CASE WHEN llm_calls > 0 THEN llm_calls || ' LLM call(s) (Bedrock)' END,
      CASE WHEN days >= $min_days AND hours_of_day >= $min_hours_of_day THEN 'software active in ' || hours_of_day || ' distinct hours of the day over ' || days || ' days' END,
      CASE WHEN days >= $min_days AND off_hours_calls >= $min_off_hours_share * software_calls
        THEN round(100.0 * off_hours_calls / software_calls)::INTEGER || '% of software calls at night or at weekends' END,
      CASE WHEN days >= $min_days AND gaps >= 4 AND regular_share >= $min_regular_share
        THEN 'fixed schedule: ' || round(100 * regular_share)::INTEGER || '% of gaps between active hours are ' || common_gap_hours || 'h' END
    ], s -> s IS NOT NULL) AS automation_signals
  FROM k
)
SELECT
  'access-key' AS subject_type,
  access_key_id AS subject_id,
  account_id,
  user_arn AS principal_arn,
  first_seen,
  last_seen,
  CASE WHEN status = 'Inactive' THEN 'low' WHEN len(frameworks) > 0 OR llm_calls > 0 THEN 'high' ELSE 'medium' END AS severity,
  format('Personal key {} of {} is also run by software{}: {}', access_key_id, coalesce(user_name, '?'),
    CASE WHEN len(frameworks) > 0 OR llm_calls > 0 THEN ' (an AI agent)' ELSE '' END,
    array_to_string(automation_signals, '; ')) AS reason,
  {
    'user_name': user_name,
    'key_status': status,
    'key_age_days': age_days,
    'why_a_person': person_signals,
    'why_software': automation_signals,
    'software': {
      'calls': software_calls, 'user_agent_families': families, 'agent_frameworks': frameworks, 'llm_calls': llm_calls,
      'sample_user_agent': sample_user_agent, 'source_ips': software_ips
    },
    'cadence': {
      'active_hours': active_hours, 'distinct_hours_of_day': hours_of_day, 'days': days,
      'off_hours_calls': off_hours_calls, 'weekend_calls': weekend_calls, 'hourly_count_cv': hourly_count_cv,
      'common_gap_hours': common_gap_hours, 'regular_share': regular_share, 'first_hour': first_hour, 'last_hour': last_hour,
      'office_hours_utc': $office_start_hour || ':00-' || $office_end_hour || ':00 Mon-Fri'
    },
    'interactive': {
      'console_logins': console_logins, 'console_calls': console_calls, 'password_enabled': coalesce(password_enabled, false),
      'mfa_active': coalesce(mfa_active, false), 'password_last_used': password_last_used,
      'office_hours_cli_calls': coalesce(interactive_cli_calls, 0), 'office_hours_cli_ips': coalesce(interactive_ips, [])
    }
  } AS evidence
FROM x
WHERE len(person_signals) > 0 AND len(automation_signals) > 0
  -- a service user someone signed in as is aws/human-use-of-nhi, not a person's key
  AND NOT declared_service
ORDER BY subject_id
