/*---
id: aws/shared-credential
title: One credential shared by several workloads
category: shared-credential
severity: medium
confidence: medium
requires: [credentials, identities, ct_enriched]
params:
  min_workloads: { type: INTEGER, default: 3, description: "Distinct workloads (tool + platform + execution environment) that make a key shared" }
  min_networks: { type: INTEGER, default: 3, description: "Distinct source networks (/16, or 'private') that, with min_workloads, make a key shared" }
  min_role_workloads: { type: INTEGER, default: 3, description: "Distinct workloads that make a role shared (roles roam across addresses, so networks are not used)" }
  runner_ip_prefixes:
    type: VARCHAR[]
    default: ["4.148.", "4.227.", "13.105.", "20.57.", "20.102.", "20.169.", "40.84.", "52.154.", "52.225.", "172.183.", "172.210."]
    description: "Source-address prefixes of hosted CI runners (as in aws/static-key-in-ci)"
summary: An access key, or a workload/agent role, whose successful calls come from several distinct workloads - different SDKs, CLIs and platforms, many unrelated networks, or both CI runners and non-CI infrastructure.
rationale: >-
  A credential shared between workloads cannot be scoped to any one of them, cannot be rotated without
  coordinating every consumer, and makes CloudTrail unable to say which workload did what (OWASP NHI9, NHI
  reuse). When one consumer leaks it, all of them must be treated as compromised. A key that lives both in a
  CI secret and on a server is the common case, and the usual start of a leak - the CI copy is readable by
  every workflow. Workloads are told apart by the client (SDK, CLI, IaC tool), its platform (os/ in the user agent),
  its execution environment (Lambda, ECS, CI) and its network; secret scanners and failed calls are not counted.
false_positives:
  - One program that uses two SDKs (for example a Go binary that shells out to the AWS CLI) on one host; the networks in the evidence tell.
  - Fleets of identical workers behind many NAT gateways (one workload, many networks); they show one workload in the evidence.
remediation:
  summary: Give each workload its own identity, scoped to what that workload uses, then revoke the shared credential.
  steps:
    - List the workloads in the evidence (client, platform, networks, first and last use) and find who runs each.
    - Create one role per workload (instance profile, task role, Lambda role, OIDC role for CI) or, where a key is unavoidable, one IAM user per workload with only its actions.
    - Move each workload to its own identity, watching the shared credential's use drop workload by workload.
    - Deactivate and delete the shared key (or restrict the shared role's trust to its one remaining workload).
references:
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
mappings: { owasp_nhi: ["NHI9:2025", "NHI5:2025"], mitre_attack: ["T1078.004"] }
---*/
WITH g AS (
  -- Hourly rollup rows summed per (credential, user agent, address) first: what follows reads a few thousand rows, not every hour.
  SELECT e.access_key_id, e.principal_arn, e.identity_type, e.user_agent, e.source_ip,
    any_value(e.ua_family) AS ua_family, any_value(e.ci_markers) AS ci_markers, any_value(e.exec_env) AS exec_env,
    sum(e.event_count) AS event_count, min(e.first_time) AS first_time, max(e.last_time) AS last_time
  FROM ct_enriched e
  WHERE e.error_code IS NULL AND len(e.scanners) = 0 AND e.ua_kind NOT IN ('console', 'aws-internal') AND e.user_agent IS NOT NULL
    AND (starts_with(e.access_key_id, 'AKIA') OR (e.identity_type = 'AssumedRole' AND e.principal_arn LIKE 'arn:aws:iam::%:role/%'))
  GROUP BY ALL
),
ips AS (
  -- Classified once per distinct address, not once per event row.
  SELECT source_ip,
    len(list_filter($runner_ip_prefixes, p -> starts_with(source_ip, p))) > 0 AS on_runner,
    CASE WHEN regexp_matches(source_ip, '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)') THEN 'private'
         WHEN regexp_matches(source_ip, '^\d+\.\d+\.\d+\.\d+$') THEN regexp_extract(source_ip, '^(\d+\.\d+)\.', 1) || '.0.0/16'
         WHEN source_ip LIKE '%:%' THEN 'ipv6:' || split_part(source_ip, ':', 1) || ':' || split_part(source_ip, ':', 2)
         ELSE NULL END AS network
  FROM (SELECT DISTINCT source_ip FROM g WHERE source_ip IS NOT NULL)
),
agents AS (
  -- The platform a user agent names, parsed once per distinct user agent.
  SELECT user_agent, coalesce(nullif(regexp_extract(user_agent, '(?:^|\s)os/([A-Za-z]+)', 1), ''),
                              nullif(regexp_extract(user_agent, '(?:^|\s)(Linux|Windows|Mac_OS_X)/', 1), ''), '?') AS os
  FROM (SELECT DISTINCT user_agent FROM g)
),
ev AS (
  SELECT e.access_key_id, e.principal_arn, e.identity_type, e.user_agent, e.ua_family, e.ci_markers, e.exec_env,
    e.event_count, e.first_time, e.last_time, coalesce(i.on_runner, false) AS on_runner, i.network, a.os
  FROM g e LEFT JOIN ips i ON i.source_ip = e.source_ip JOIN agents a ON a.user_agent = e.user_agent
),
ctx AS (
  SELECT *,
    CASE WHEN len(ci_markers) > 0 THEN 'CI: ' || ci_markers[1]
         WHEN on_runner THEN 'CI: hosted runner network'
         ELSE ua_family || ' on ' || os || CASE WHEN len(exec_env) > 0 THEN ' (' || exec_env[1] || ')' ELSE '' END END AS workload,
    (len(ci_markers) > 0 OR on_runner) AS is_ci
  FROM ev
),
subjects AS (
  SELECT 'access-key' AS subject_type, access_key_id AS subject_id, * FROM ctx WHERE starts_with(access_key_id, 'AKIA')
  UNION ALL
  SELECT 'iam-role', principal_arn, * FROM ctx WHERE identity_type = 'AssumedRole' AND principal_arn LIKE 'arn:aws:iam::%:role/%'
),
per_workload AS (
  SELECT subject_type, subject_id, workload, any_value(is_ci) AS is_ci, sum(event_count) AS calls,
    list(DISTINCT network ORDER BY network) FILTER (WHERE network IS NOT NULL) AS networks,
    min(user_agent) AS sample_user_agent, min(first_time) AS first_seen, max(last_time) AS last_seen
  FROM subjects GROUP BY ALL
),
per_subject AS (
  SELECT subject_type, subject_id,
    count(*) AS workloads,
    list({'workload': workload, 'calls': calls, 'networks': networks[1:5], 'first_seen': first_seen, 'last_seen': last_seen, 'sample_user_agent': sample_user_agent}
      ORDER BY calls DESC, workload) AS by_workload,
    list_sort(list_distinct(flatten(list(networks)))) AS networks,
    bool_or(is_ci) AS has_ci, bool_or(NOT is_ci) AS has_non_ci,
    min(first_seen) AS first_seen, max(last_seen) AS last_seen, sum(calls) AS calls
  FROM per_workload GROUP BY ALL
),
x AS (
  SELECT p.*, coalesce(c.account_id, i.account) AS account_id, coalesce(c.user_arn, i.arn) AS principal_arn,
    c.user_name, c.status, i.name AS role_name, coalesce(i.classification, u.classification) AS classification,
    len(p.networks) AS network_count
  FROM per_subject p
  LEFT JOIN credentials c ON p.subject_type = 'access-key' AND c.access_key_id = p.subject_id
  LEFT JOIN identities u ON u.id = c.user_arn
  LEFT JOIN identities i ON p.subject_type = 'iam-role' AND i.id = p.subject_id
  WHERE (p.subject_type = 'access-key' AND (c.access_key_id IS NULL OR NOT c.deleted) AND ((p.has_ci AND p.has_non_ci) OR (p.workloads >= $min_workloads AND len(p.networks) >= $min_networks)))
     OR (p.subject_type = 'iam-role' AND i.classification IN ('workload', 'agent', 'unknown') AND ((p.has_ci AND p.has_non_ci) OR p.workloads >= $min_role_workloads))
)
SELECT
  subject_type,
  subject_id,
  account_id,
  principal_arn,
  first_seen,
  last_seen,
  CASE WHEN has_ci AND has_non_ci THEN 'high' WHEN classification = 'agent' THEN 'high' ELSE 'medium' END AS severity,
  format('{} is shared by {} workloads{}{}: {}',
    CASE subject_type WHEN 'access-key' THEN 'Key ' || subject_id || ' of user ' || coalesce(user_name, '?') ELSE 'Role ' || coalesce(role_name, subject_id) END,
    workloads,
    CASE WHEN subject_type = 'access-key' THEN ' across ' || network_count || ' network(s)' ELSE '' END,
    CASE WHEN has_ci AND has_non_ci THEN ', both CI runners and other infrastructure' ELSE '' END,
    array_to_string(list_transform(by_workload[1:5], w -> w.workload), '; ')) AS reason,
  {
    'user_name': user_name,
    'role_name': role_name,
    'key_status': status,
    'classification': classification,
    'workload_count': workloads,
    'workloads': by_workload,
    'networks': networks[1:20],
    'network_count': network_count,
    'ci_and_non_ci': has_ci AND has_non_ci,
    'successful_calls': calls,
    'commands': CASE subject_type
      WHEN 'access-key' THEN ['aws iam create-user --user-name ' || coalesce(user_name, 'svc') || '-<workload>   # one identity per workload, or better a role',
                              'aws iam update-access-key --user-name ' || coalesce(user_name, '<user>') || ' --access-key-id ' || subject_id || ' --status Inactive']
      ELSE ['aws iam get-role --role-name ' || coalesce(role_name, '<role>') || ' --query Role.AssumeRolePolicyDocument   # narrow the trust to one workload',
            'aws iam create-role --role-name ' || coalesce(role_name, 'role') || '-<workload> --assume-role-policy-document file://trust.json'] END
  } AS evidence
FROM x
ORDER BY subject_id
