/*---
id: aws/static-key-automation
title: Long-lived access key driven by software, not a person
category: static-key-automation
severity: medium
confidence: high
requires: [credentials, activity_v, ct_enriched]
params:
  min_cli_hours: { type: INTEGER, default: 16, description: "AWS CLI use counts as automated when spread over at least this many distinct hours of the day" }
  runner_ip_prefixes:
    type: VARCHAR[]
    default: ["4.148.", "4.227.", "13.105.", "20.57.", "20.102.", "20.169.", "40.84.", "52.154.", "52.225.", "172.183.", "172.210."]
    description: "Source-address prefixes of hosted CI runners; calls from them count as CI (as in aws/static-key-in-ci)"
summary: A long-term IAM access key (AKIA…) whose successful calls come from SDKs, IaC tools, raw HTTP clients, LLM clients, agent frameworks, attack or audit tools (named; critical) or clients no signature names (unrecognised software); one finding per key, with the evidence split by kind of software.
rationale: >-
  Long-lived keys never expire, are copied into CI variables, cron hosts and agent configs, and are the most
  common way cloud credentials leak. Software should run as a role with short-lived credentials (an instance
  profile, a Lambda or ECS task role, or OIDC from CI), so a leaked value expires within the hour. A key driven by
  an AI-agent framework is the riskiest case: the agent decides at run time which calls to make with it.
  Findings are per key, not per user: a user with one key in a script and one in a laptop gets one finding, on
  the key that software drives. Keys used only from CI runners are reported by aws/static-key-in-ci instead,
  with the OIDC migration.
false_positives:
  - A person running their own boto3 script from a laptop; check the source IPs and hours in the evidence.
  - Workloads outside AWS that cannot use OIDC or IAM Roles Anywhere yet.
remediation:
  summary: Move the workload to a role with short-lived credentials, then deactivate and delete the key.
  steps:
    - Find where the key is configured (the user agents, source IPs and execution environments in the evidence show what runs it).
    - Give the workload a role (instance profile, task role, Lambda role, IAM Roles Anywhere off AWS, or OIDC federation for CI) with only the actions it used.
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
WITH g AS (
  -- Rollup rows summed per (key, user agent, LLM call, hour of day, address) first: per_key reads far fewer rows.
  SELECT e.access_key_id, e.user_agent, e.is_llm_call, hour(e.event_hour) AS hod, e.source_ip, sum(e.event_count) AS n,
    any_value(e.ua_kind) AS ua_kind, any_value(e.ua_family) AS ua_family, any_value(e.ci_markers) AS ci_markers,
    any_value(e.agent_tokens) AS agent_tokens, any_value(e.exec_env) AS exec_env, any_value(e.attack_tools) AS attack_tools
  FROM ct_enriched e
  WHERE starts_with(e.access_key_id, 'AKIA') AND e.error_code IS NULL AND e.ua_kind NOT IN ('console', 'aws-internal') AND len(e.scanners) = 0
  GROUP BY e.access_key_id, e.user_agent, e.is_llm_call, hour(e.event_hour), e.source_ip
),
runner_ips AS (
  -- Prefix-matched once per distinct address, not once per event row.
  SELECT source_ip, len(list_filter($runner_ip_prefixes, p -> starts_with(source_ip, p))) > 0 AS on_runner
  FROM (SELECT DISTINCT source_ip FROM g WHERE source_ip IS NOT NULL)
),
ev AS (
  SELECT e.access_key_id, e.ua_kind, e.ua_family, e.user_agent, e.ci_markers, e.agent_tokens, e.exec_env, e.is_llm_call, e.attack_tools,
    e.n, e.hod, e.source_ip,
    (len(e.ci_markers) > 0 OR coalesce(r.on_runner, false)) AS from_ci
  FROM g e LEFT JOIN runner_ips r ON r.source_ip = e.source_ip
),
per_key AS (
  SELECT access_key_id,
    coalesce(sum(n) FILTER (WHERE ua_kind = 'sdk'), 0) AS sdk_calls,
    list(DISTINCT ua_family ORDER BY ua_family) FILTER (WHERE ua_kind = 'sdk') AS sdk_families,
    min(user_agent) FILTER (WHERE ua_kind = 'sdk') AS sdk_sample,
    coalesce(sum(n) FILTER (WHERE ua_kind = 'iac'), 0) AS iac_calls,
    list(DISTINCT ua_family ORDER BY ua_family) FILTER (WHERE ua_kind = 'iac') AS iac_tools,
    min(user_agent) FILTER (WHERE ua_kind = 'iac') AS iac_sample,
    coalesce(sum(n) FILTER (WHERE len(ci_markers) > 0), 0) AS ci_calls,
    list_sort(list_distinct(flatten(list(ci_markers) FILTER (WHERE len(ci_markers) > 0)))) AS ci_systems,
    min(user_agent) FILTER (WHERE len(ci_markers) > 0) AS ci_sample,
    coalesce(sum(n) FILTER (WHERE len(agent_tokens) > 0 OR is_llm_call), 0) AS agent_calls,
    list_sort(list_distinct(flatten(list(agent_tokens) FILTER (WHERE len(agent_tokens) > 0)))) AS frameworks_raw,
    coalesce(sum(n) FILTER (WHERE is_llm_call), 0) AS llm_calls,
    min(user_agent) FILTER (WHERE len(agent_tokens) > 0) AS agent_sample,
    coalesce(sum(n) FILTER (WHERE ua_kind IN ('raw-http', 'llm-client')), 0) AS raw_http_calls,
    list(DISTINCT ua_family ORDER BY ua_family) FILTER (WHERE ua_kind IN ('raw-http', 'llm-client')) AS raw_http_clients,
    coalesce(sum(n) FILTER (WHERE ua_kind = 'cli'), 0) AS cli_calls,
    count(DISTINCT hod) FILTER (WHERE ua_kind = 'cli') AS cli_hours_of_day,
    coalesce(sum(n) FILTER (WHERE ua_kind IN ('sdk', 'iac', 'raw-http', 'llm-client')), 0) AS software_calls,
    coalesce(sum(n) FILTER (WHERE from_ci), 0) AS from_ci_calls,
    list_sort(list_distinct(flatten(list(exec_env) FILTER (WHERE len(exec_env) > 0)))) AS exec_envs,
    -- an attack or audit tool drives the key: a compromised or test credential, reported loudly with the tool named
    coalesce(sum(n) FILTER (WHERE len(attack_tools) > 0), 0) AS tool_calls,
    list_sort(list_distinct(flatten(list(attack_tools) FILTER (WHERE len(attack_tools) > 0)))) AS attack_tools,
    min(user_agent) FILTER (WHERE len(attack_tools) > 0) AS tool_sample,
    -- clients no signature names (not a console, a browser or AWS): software even when unnamed
    coalesce(sum(n) FILTER (WHERE ua_kind = 'other' AND user_agent IS NOT NULL AND len(attack_tools) = 0), 0) AS unrecognised_calls,
    min(user_agent) FILTER (WHERE ua_kind = 'other' AND user_agent IS NOT NULL AND len(attack_tools) = 0) AS unrecognised_sample,
    sum(n) AS automated_calls
  FROM ev GROUP BY access_key_id
),
k AS (
  SELECT c.access_key_id, c.account_id, c.user_name, c.user_arn, c.status, c.status_text, c.age_days, c.in_iam, c.iam_snapshot_at,
    a.ok_calls, a.services, a.sample_ips, a.source_ips, a.active_days, a.active_hours_of_day, a.first_seen, a.last_seen, p.*,
    -- the generic x-client-framework label only when no specific framework was recognised
    CASE WHEN len(p.frameworks_raw) > 1 THEN list_filter(p.frameworks_raw, x -> NOT starts_with(x, 'AI framework (')) ELSE p.frameworks_raw END AS frameworks
  FROM credentials c
  JOIN activity_v a ON a.subject_type = 'access-key' AND a.subject_id = c.access_key_id
  JOIN per_key p USING (access_key_id)
  WHERE NOT c.deleted  -- deleted keys need no action; keys newer than the IAM snapshot are live
)
SELECT
  'access-key' AS subject_type,
  access_key_id AS subject_id,
  account_id,
  user_arn AS principal_arn,
  first_seen,
  last_seen,
  CASE WHEN tool_calls > 0 THEN 'critical' WHEN agent_calls > 0 THEN 'high' ELSE 'medium' END AS severity,
  format('Long-lived key {} of user {} made {} successful call(s) from software: {}', access_key_id, coalesce(user_name, '?'), ok_calls,
    array_to_string(list_filter([
      CASE WHEN tool_calls > 0 THEN 'attack/audit tool ' || array_to_string(attack_tools, ', ') || ' (' || tool_calls || ' calls: a compromised or test credential)' END,
      CASE WHEN agent_calls > 0 THEN 'AI agent (' || coalesce(nullif(array_to_string(frameworks, ', '), ''), 'LLM calls') || ', ' || agent_calls || ' calls)' END,
      CASE WHEN sdk_calls > 0 THEN 'SDK (' || array_to_string(sdk_families, ', ') || ', ' || sdk_calls || ' calls)' END,
      CASE WHEN iac_calls > 0 THEN 'IaC (' || array_to_string(iac_tools, ', ') || ', ' || iac_calls || ' calls)' END,
      CASE WHEN ci_calls > 0 THEN 'CI (' || array_to_string(ci_systems, ', ') || ', ' || ci_calls || ' calls)' END,
      CASE WHEN raw_http_calls > 0 THEN 'raw HTTP (' || array_to_string(raw_http_clients, ', ') || ', ' || raw_http_calls || ' calls)' END,
      CASE WHEN cli_calls > 0 THEN 'AWS CLI (' || cli_calls || ' calls over ' || cli_hours_of_day || ' hours of the day)' END,
      CASE WHEN unrecognised_calls > 0 THEN 'unrecognised software (' || unrecognised_calls || ' calls, e.g. ' || left(unrecognised_sample, 60) || ')' END
    ], x -> x IS NOT NULL), '; ')) AS reason,
  {
    'user_name': user_name,
    'key_status': status_text,
    'key_age_days': age_days,
    'successful_calls': ok_calls,
    'sdk': {'calls': sdk_calls, 'families': coalesce(sdk_families, []), 'sample_user_agent': sdk_sample},
    'iac': {'calls': iac_calls, 'tools': coalesce(iac_tools, []), 'sample_user_agent': iac_sample},
    'ci': {'calls': ci_calls, 'systems': coalesce(ci_systems, []), 'sample_user_agent': ci_sample},
    'agent_framework': {'calls': agent_calls, 'frameworks': coalesce(frameworks, []), 'llm_calls': llm_calls, 'sample_user_agent': agent_sample},
    'raw_http': {'calls': raw_http_calls, 'clients': coalesce(raw_http_clients, [])},
    'cli': {'calls': cli_calls, 'hours_of_day': cli_hours_of_day},
    'attack_tools': {'calls': tool_calls, 'tools': coalesce(attack_tools, []), 'sample_user_agent': tool_sample},
    'unrecognised_software': {'calls': unrecognised_calls, 'sample_user_agent': unrecognised_sample},
    'execution_environments': coalesce(exec_envs, []),
    'services': services,
    'source_ip_count': source_ips,
    'sample_source_ips': sample_ips,
    'active_days': active_days,
    'active_hours_of_day': active_hours_of_day
  } AS evidence
FROM k
WHERE (software_calls > 0 OR tool_calls > 0 OR unrecognised_calls > 0 OR (cli_calls > 0 AND (ci_calls > 0 OR agent_calls > 0 OR cli_hours_of_day >= $min_cli_hours)))
  -- keys that only CI runners drive are aws/static-key-in-ci's (same key, more precise fix)
  AND NOT (from_ci_calls > 0 AND from_ci_calls = automated_calls AND agent_calls = 0)
ORDER BY subject_id
