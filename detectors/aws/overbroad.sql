/*---
id: aws/overbroad
title: Non-human identity with administrator or service-wide permissions
category: overbroad
severity: high
confidence: high
requires: [grants, iam_principals, ct_enriched, subject_context, activity_v, nhi]
params:
  sensitive_services:
    type: VARCHAR[]
    default: [iam, sts, organizations, kms, secretsmanager, ssm, s3, dynamodb, rds, lambda, ec2, ecr, eks, bedrock, bedrock-agentcore, cloudtrail, logs, sso, identitystore, glue, sagemaker, cloudformation]
    description: "Services where a service-wide wildcard (svc:*) on all resources counts as broad"
summary: A workload, agent or unclassified identity is granted *:*, a service-wide wildcard on a sensitive service, or an Allow with NotAction; the evidence compares granted with used actions and suggests a least-privilege policy.
rationale: >-
  Software and agents should hold only the actions they use. An agent with AdministratorAccess can do anything
  a prompt-injected or buggy plan asks it to, and a leaked workload credential with service wildcards gives an
  attacker the whole service. The evidence compares what is granted with what the identity actually used in the
  window, so the grant can be cut down to what it needs. Administrator grants are never excluded.
false_positives:
  - Deployment roles that legitimately manage IAM (review the used actions; scope them to a path or permission boundary).
  - Identities whose activity lies outside the scan window (extend --lookback).
  - 'Granted but unused counts data-plane actions (S3 object reads, DynamoDB items, Lambda invokes) as unused when the trail does not log data events.'
remediation:
  summary: Replace the broad policy with one that allows only the actions the identity used, on the resources it uses.
  steps:
    - Review the used actions in the evidence (granted vs used over the scan window).
    - Start from evidence.suggested_policy (built from the successful calls and the resources they named); widen only what a person can justify.
    - Remove each broad grant where it comes from (evidence.broad_grant_sources) — detach a managed policy, delete an inline policy (NotAction statements too), take the user out of the group that grants it (or fix the group's policy for every member).
    - Add a permission boundary so the identity cannot grant itself more later (or replace a boundary that lets the broad grant through).
  cli:
    - aws iam put-{principal_kind}-policy --{principal_kind}-name {name} --policy-name least-privilege --policy-document file://least-privilege.json
    - "{remove_broad_grant_commands}"
    - "{boundary_command}"
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
  - https://github.com/duo-labs/cloudtracker
  - https://github.com/salesforce/cloudsplaining
mappings: { owasp_nhi: ["NHI5:2025"], mitre_attack: ["T1078.004", "T1098"] }
---*/
WITH broad AS (
  SELECT g.principal_arn,
    bool_or(g.pattern IN ('*', '*:*') AND g.resource = '*' AND NOT g.conditional AND NOT g.partially_denied) AS is_admin,
    bool_or(g.via_not_action AND NOT g.conditional AND NOT g.partially_denied) AS has_not_action,
    list(DISTINCT g.pattern || ' via ' || g.source_policy ORDER BY g.pattern || ' via ' || g.source_policy) FILTER (
      WHERE NOT g.partially_denied AND (
        (g.pattern IN ('*', '*:*') AND g.resource = '*')
        OR g.via_not_action
        OR (g.resource = '*' AND g.pattern LIKE '%:*' AND split_part(g.pattern, ':', 1) IN (SELECT unnest($sensitive_services))))
    ) AS broad_grants,
    list(DISTINCT g.source_policy || ' (' || CASE WHEN g.conditional THEN 'under a Condition' ELSE 'narrowed by a Deny or boundary' END || ')'
      ORDER BY g.source_policy || ' (' || CASE WHEN g.conditional THEN 'under a Condition' ELSE 'narrowed by a Deny or boundary' END || ')') FILTER (
      WHERE (g.conditional OR g.partially_denied) AND g.pattern IN ('*', '*:*')) AS constrained_admin
  FROM grants g
  GROUP BY g.principal_arn
),
-- Where each broad grant comes from, and the command that removes it there: a managed policy is detached, an inline
-- policy deleted, a group's policy is left by leaving the group (or fixed for every member).
broad_sources AS (
  SELECT DISTINCT g.principal_arn, g.principal_type AS pk, g.source_kind, g.source_policy,
    regexp_extract(g.source_policy, '^group:([^/]+)/', 1) AS grp,
    regexp_replace(g.source_policy, '^group:[^/]+/', '') AS in_group
  FROM grants g
  WHERE NOT g.partially_denied AND (
    (g.pattern IN ('*', '*:*') AND g.resource = '*')
    OR g.via_not_action
    OR (g.resource = '*' AND g.pattern LIKE '%:*' AND split_part(g.pattern, ':', 1) IN (SELECT unnest($sensitive_services))))
),
source_commands AS (
  SELECT s.principal_arn, s.source_policy AS ord,
    CASE s.source_kind
      WHEN 'managed' THEN format('aws iam detach-{}-policy --{}-name {} --policy-arn {}', s.pk, s.pk, p.name, s.source_policy)
      WHEN 'inline' THEN format('aws iam delete-{}-policy --{}-name {} --policy-name {}', s.pk, s.pk, p.name, substr(s.source_policy, 8))
    END AS command
  FROM broad_sources s JOIN iam_principals p ON p.arn = s.principal_arn
  WHERE s.source_kind IN ('managed', 'inline')
  UNION ALL
  SELECT s.principal_arn, 'group:' || s.grp AS ord,
    format('aws iam remove-user-from-group --user-name {} --group-name {}   # or, for every member of the group: {}', p.name, s.grp,
      string_agg(CASE WHEN s.source_kind = 'group-managed'
        THEN format('aws iam detach-group-policy --group-name {} --policy-arn {}', s.grp, s.in_group)
        ELSE format('aws iam delete-group-policy --group-name {} --policy-name {}', s.grp, substr(s.in_group, 8)) END, '; ' ORDER BY s.in_group)) AS command
  FROM broad_sources s JOIN iam_principals p ON p.arn = s.principal_arn
  WHERE s.source_kind IN ('group-managed', 'group-inline')
  GROUP BY s.principal_arn, s.grp, p.name
),
remove_cmds AS (
  SELECT principal_arn, list(command ORDER BY ord) AS commands FROM source_commands GROUP BY principal_arn
),
sources_sum AS (
  SELECT principal_arn,
    list({'kind': source_kind, 'policy': CASE WHEN grp <> '' THEN in_group ELSE source_policy END, 'group': nullif(grp, '')} ORDER BY source_policy) AS sources
  FROM broad_sources GROUP BY principal_arn
),
granted AS (
  SELECT DISTINCT principal_arn, lower(action) AS la, service FROM grants WHERE NOT partially_denied
),
granted_n AS (
  SELECT principal_arn, count(*) AS actions, count(DISTINCT service) AS services FROM granted GROUP BY principal_arn
),
calls AS (
  SELECT principal_arn, iam_action, action_known, resource, sum(event_count) AS n
  FROM ct_enriched
  WHERE error_code IS NULL AND NOT permission_free AND principal_arn IS NOT NULL
  GROUP BY ALL
),
used AS (
  SELECT c.principal_arn, c.iam_action, c.action_known, sum(c.n) AS n,
    CASE WHEN bool_or(c.resource IS NULL) THEN ['*'] ELSE list_sort(list(DISTINCT c.resource)) END AS resources,
    bool_or(g.la IS NOT NULL) AS is_granted
  FROM calls c LEFT JOIN granted g ON g.principal_arn = c.principal_arn AND g.la = lower(c.iam_action)
  GROUP BY c.principal_arn, c.iam_action, c.action_known
),
used_sum AS (
  SELECT principal_arn,
    list(iam_action ORDER BY iam_action) FILTER (WHERE is_granted) AS used_granted,
    list(iam_action ORDER BY iam_action) FILTER (WHERE NOT is_granted AND action_known) AS used_not_granted,
    list(iam_action ORDER BY iam_action) FILTER (WHERE NOT action_known) AS unknown_events,
    count(*) FILTER (WHERE is_granted) AS used_granted_n
  FROM used GROUP BY principal_arn
),
unused AS (
  SELECT g.principal_arn, g.service, count(*) AS n, list(g.la ORDER BY g.la) AS actions
  FROM granted g
  WHERE NOT EXISTS (SELECT 1 FROM used u WHERE u.principal_arn = g.principal_arn AND lower(u.iam_action) = g.la)
  GROUP BY g.principal_arn, g.service
),
unused_sum AS (
  SELECT principal_arn, sum(n)::BIGINT AS total,
    list({'service': service, 'actions': n} ORDER BY n DESC, service)[1:12] AS by_service,
    CASE WHEN sum(n) <= 40 THEN flatten(list(actions ORDER BY service)) END AS listed
  FROM unused GROUP BY principal_arn
),
stmts AS (
  SELECT principal_arn, resources, list_sort(list(iam_action)) AS actions
  FROM used WHERE action_known GROUP BY principal_arn, resources
),
policy AS (
  SELECT principal_arn,
    {'Version': '2012-10-17', 'Statement': list({'Effect': 'Allow', 'Action': actions, 'Resource': resources} ORDER BY actions[1])} AS suggested_policy
  FROM stmts GROUP BY principal_arn
),
x AS (
  SELECT i.id, i.account, i.kind, i.name, i.arn, i.classification, b.is_admin, b.has_not_action, b.broad_grants, b.constrained_admin,
    gn.actions AS granted_actions, gn.services AS granted_services, sc.tier,
    coalesce(us.used_granted, []) AS used_granted, coalesce(us.used_not_granted, []) AS used_not_granted,
    coalesce(us.unknown_events, []) AS unknown_events, coalesce(us.used_granted_n, 0) AS used_granted_n,
    coalesce(un.total, 0) AS unused_total, coalesce(un.by_service, []) AS unused_by_service, un.listed AS unused_listed,
    p.suggested_policy, coalesce(a.services, []) AS services_used, a.calls, a.first_seen, a.last_seen,
    coalesce(rc.commands, []) AS remove_cmds, coalesce(ss.sources, []) AS broad_sources, ip.permissions_boundary
  FROM nhi i
  JOIN broad b ON b.principal_arn = i.arn
  JOIN granted_n gn ON gn.principal_arn = i.arn
  LEFT JOIN subject_context sc ON sc.id = i.id
  LEFT JOIN used_sum us ON us.principal_arn = i.arn
  LEFT JOIN unused_sum un ON un.principal_arn = i.arn
  LEFT JOIN policy p ON p.principal_arn = i.arn
  LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.arn
  LEFT JOIN remove_cmds rc ON rc.principal_arn = i.arn
  LEFT JOIN sources_sum ss ON ss.principal_arn = i.arn
  LEFT JOIN iam_principals ip ON ip.arn = i.arn
  WHERE i.kind IN ('iam-user', 'iam-role') AND len(b.broad_grants) > 0
)
SELECT
  kind AS subject_type,
  arn AS subject_id,
  account AS account_id,
  arn AS principal_arn,
  first_seen,
  last_seen,
  follow_subject(CASE
    WHEN is_admin AND classification = 'agent' THEN 'critical'
    WHEN is_admin OR has_not_action OR classification = 'agent' THEN 'high'
    ELSE 'medium' END, tier) AS severity,
  format('{} {} ({}) is granted {}; it used {} of {} granted action(s) in the window{}', replace(kind, 'iam-', ''), name, classification,
    CASE WHEN is_admin THEN 'full administrator access (*:*)' WHEN has_not_action THEN 'an Allow with NotAction'
         ELSE 'service-wide wildcards: ' || array_to_string(broad_grants[1:3], '; ') END,
    used_granted_n, granted_actions,
    CASE tier WHEN 'agent-static-key' THEN ' (an agent driven by a long-lived access key)'
              WHEN 'dormant-guarded' THEN ' (unused, and only assumable with MFA)'
              WHEN 'dormant' THEN ' (unused in the window)' ELSE '' END) AS reason,
  {
    'name': name,
    'principal_kind': replace(kind, 'iam-', ''),
    'classification': classification,
    'subject_tier': tier,
    'broad_grants': broad_grants,
    'administrator': is_admin,
    'not_action': has_not_action,
    'constrained_admin_grants': coalesce(constrained_admin, []),
    'granted_action_count': granted_actions,
    'granted_service_count': granted_services,
    'used': used_granted,
    'used_but_not_granted': used_not_granted,
    'not_an_iam_action': unknown_events,
    'granted_but_unused_count': unused_total,
    'granted_but_unused_by_service': unused_by_service,
    'granted_but_unused': unused_listed,
    'unused_share': CASE WHEN granted_actions = 0 THEN NULL ELSE round(1 - used_granted_n / granted_actions, 4) END,
    'used_services': services_used,
    'calls_in_window': coalesce(calls, 0),
    'suggested_policy': suggested_policy,
    'broad_grant_sources': broad_sources,
    'permissions_boundary': permissions_boundary,
    'remove_broad_grant_commands': remove_cmds,
    'boundary_command': format('aws iam put-{}-permissions-boundary --{}-name {} --permissions-boundary arn:{}:iam::{}:policy/<boundary>{}',
      replace(kind, 'iam-', ''), replace(kind, 'iam-', ''), name, split_part(arn, ':', 2), account,
      CASE WHEN permissions_boundary IS NULL THEN '' ELSE '   # replaces ' || permissions_boundary || ', which lets the broad grant through' END)
  } AS evidence
FROM x
ORDER BY subject_id
