/*---
id: aws/static-key-automation
title: Long-lived access key driven by software, not a person
category: static-key-automation
severity: medium
confidence: high
requires: [credentials, activity, cloudtrail_events]
params:
  min_cli_hours: { type: INTEGER, default: 16, description: "AWS CLI use counts as automated when spread over at least this many distinct hours of the day" }
summary: A long-term IAM access key (AKIA…) whose successful calls come from SDKs, IaC tools, raw HTTP clients, LLM clients or agent frameworks.
rationale: >-
  Long-lived keys never expire, are copied into CI variables, cron hosts and agent configs, and are the most
  common way cloud credentials leak. Software should run as a role with short-lived credentials (an instance
  profile, a Lambda or ECS task role, or OIDC from CI), so a leaked value expires within the hour. A key driven by
  an AI-agent framework is the riskiest case: the agent decides at run time which calls to make with it.
false_positives:
  - A person running their own boto3 script from a laptop; check the source IPs and hours in the evidence.
  - Workloads outside AWS that cannot use OIDC or IAM Roles Anywhere yet.
remediation:
  summary: Move the workload to a role with short-lived credentials, then deactivate and delete the key.
  steps:
    - Find where the key is configured (the user agents and source IPs in the evidence show what runs it).
    - Give the workload a role (instance profile, task role, Lambda role, or OIDC federation for CI) with only the actions it used.
    - Deploy the workload with the role and watch that the key's last-used date stops advancing.
    - Deactivate the key, wait a few days, then delete it.
  cli:
    - aws iam update-access-key --user-name {user_name} --access-key-id {subject_id} --status Inactive
    - aws iam delete-access-key --user-name {user_name} --access-key-id {subject_id}
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI7:2025"], mitre_attack: ["T1078.004"] }
---*/
WITH fam AS (
  SELECT access_key_id, ua_kind, ua_family, sum(event_count) AS n
  FROM ct_enriched
  WHERE starts_with(access_key_id, 'AKIA') AND error_code IS NULL
  GROUP BY ALL
),
per_key AS (
  SELECT access_key_id,
    list({'family': ua_family, 'kind': ua_kind, 'calls': n} ORDER BY n DESC, ua_family) AS families,
    coalesce(sum(n) FILTER (WHERE ua_kind = 'sdk'), 0) AS sdk_calls,
    coalesce(sum(n) FILTER (WHERE ua_kind = 'iac'), 0) AS iac_calls,
    coalesce(sum(n) FILTER (WHERE ua_kind IN ('raw-http', 'llm-client')), 0) AS raw_http_calls,
    coalesce(sum(n) FILTER (WHERE ua_kind = 'cli'), 0) AS cli_calls,
    coalesce(sum(n) FILTER (WHERE ua_kind IN ('sdk', 'iac', 'raw-http', 'llm-client')), 0) AS software_calls
  FROM fam GROUP BY access_key_id
),
k AS (
  SELECT c.*, a.ok_calls, a.llm_calls, a.agent_tokens, a.ci_markers, a.exec_envs, a.services, a.sample_ips, a.source_ips,
    a.active_days, a.active_hours_of_day, a.first_seen, a.last_seen, p.families, p.sdk_calls, p.iac_calls, p.raw_http_calls,
    p.cli_calls, p.software_calls
  FROM credentials c
  JOIN activity_v a ON a.subject_type = 'access-key' AND a.subject_id = c.access_key_id
  JOIN per_key p USING (access_key_id)
)
SELECT
  'access-key' AS subject_type,
  access_key_id AS subject_id,
  account_id,
  user_arn AS principal_arn,
  first_seen,
  last_seen,
  CASE WHEN len(agent_tokens) > 0 OR llm_calls > 0 THEN 'high' ELSE 'medium' END AS severity,
  format('Long-lived key {} of user {} made {} successful call(s) from software: {}{}', access_key_id, coalesce(user_name, '?'),
    ok_calls, array_to_string(list_transform(families[1:3], f -> f.family), ', '),
    CASE WHEN len(agent_tokens) > 0 THEN ' (agent framework: ' || array_to_string(agent_tokens, ', ') || ')'
         WHEN len(ci_markers) > 0 THEN ' (CI: ' || array_to_string(ci_markers, ', ') || ')' ELSE '' END) AS reason,
  {
    'user_name': user_name,
    'key_status': status,
    'key_age_days': age_days,
    'successful_calls': ok_calls,
    'by_kind': {'sdk': sdk_calls, 'iac': iac_calls, 'raw_http': raw_http_calls, 'cli': cli_calls, 'llm_calls': llm_calls},
    'user_agent_families': families,
    'agent_frameworks': agent_tokens,
    'ci_markers': ci_markers,
    'execution_environments': exec_envs,
    'services': services,
    'source_ip_count': source_ips,
    'sample_source_ips': sample_ips,
    'active_days': active_days,
    'active_hours_of_day': active_hours_of_day
  } AS evidence
FROM k
WHERE software_calls > 0
   OR (cli_calls > 0 AND (len(ci_markers) > 0 OR len(agent_tokens) > 0 OR active_hours_of_day >= $min_cli_hours))
ORDER BY subject_id
