/*---
id: aws/overbroad
title: Non-human identity with administrator or service-wide permissions
category: overbroad
severity: high
confidence: high
requires: [identities, grants, activity]
params:
  sensitive_services:
    type: VARCHAR[]
    default: [iam, sts, organizations, kms, secretsmanager, ssm, s3, dynamodb, rds, lambda, ec2, ecr, eks, bedrock, bedrock-agentcore, cloudtrail, logs, sso, identitystore, glue, sagemaker, cloudformation]
    description: "Services where a service-wide wildcard (svc:*) on all resources counts as broad"
summary: A workload, agent or unclassified identity is granted *:*, a service-wide wildcard on a sensitive service, or an Allow with NotAction.
rationale: >-
  Software and agents should hold only the actions they use. An agent with AdministratorAccess can do anything
  a prompt-injected or buggy plan asks it to, and a leaked workload credential with service wildcards gives an
  attacker the whole service. The evidence compares what is granted with what the identity actually used in the
  window, so the grant can be cut down to what it needs. Administrator grants are never excluded.
false_positives:
  - Deployment roles that legitimately manage IAM (review the used actions; scope them to a path or permission boundary).
  - Identities whose activity lies outside the scan window (extend --lookback).
remediation:
  summary: Replace the broad policy with one that allows only the actions the identity used, on the resources it uses.
  steps:
    - Review the used actions in the evidence (granted vs used over the scan window).
    - Write a customer-managed policy with those actions and the specific resource ARNs; attach it.
    - Detach the broad policy (AdministratorAccess, service wildcards, NotAction statements).
    - Add a permission boundary so the identity cannot grant itself more later.
  cli:
    - aws iam list-attached-{principal_kind}-policies --{principal_kind}-name {name}
    - aws iam detach-{principal_kind}-policy --{principal_kind}-name {name} --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
  - https://github.com/salesforce/cloudsplaining
mappings: { owasp_nhi: ["NHI5:2025"], mitre_attack: ["T1078.004", "T1098"] }
---*/
WITH broad AS (
  SELECT g.principal_arn,
    bool_or(g.pattern IN ('*', '*:*') AND g.resource = '*' AND NOT g.conditional AND NOT g.partially_denied) AS is_admin,
    bool_or(g.via_not_action AND NOT g.partially_denied) AS has_not_action,
    list(DISTINCT g.pattern || ' via ' || g.source_policy ORDER BY g.pattern || ' via ' || g.source_policy) FILTER (
      WHERE NOT g.partially_denied AND (
        (g.pattern IN ('*', '*:*') AND g.resource = '*')
        OR g.via_not_action
        OR (g.resource = '*' AND g.pattern LIKE '%:*' AND split_part(g.pattern, ':', 1) IN (SELECT unnest($sensitive_services))))
    ) AS broad_grants
  FROM grants g
  GROUP BY g.principal_arn
),
granted AS (
  SELECT principal_arn, list(DISTINCT lower(action)) AS actions, count(DISTINCT service) AS services
  FROM grants WHERE NOT partially_denied GROUP BY principal_arn
),
x AS (
  SELECT i.id, i.account, i.kind, i.name, i.arn, i.classification, i.trust_policy, b.is_admin, b.has_not_action, b.broad_grants,
    gr.actions AS granted_actions, gr.services AS granted_services,
    coalesce(a.actions_used, []) AS actions_used, coalesce(a.services, []) AS services_used, a.calls, a.first_seen, a.last_seen
  FROM nhi i
  JOIN broad b ON b.principal_arn = i.arn
  JOIN granted gr ON gr.principal_arn = i.arn
  LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.arn
  WHERE i.kind IN ('iam-user', 'iam-role') AND len(b.broad_grants) > 0
)
SELECT
  CASE kind WHEN 'iam-user' THEN 'iam-user' ELSE 'iam-role' END AS subject_type,
  arn AS subject_id,
  account AS account_id,
  arn AS principal_arn,
  first_seen,
  last_seen,
  CASE
    WHEN is_admin AND classification = 'agent' THEN 'critical'
    WHEN coalesce(calls, 0) = 0 AND trust_policy::VARCHAR LIKE '%MultiFactorAuthPresent%' THEN 'low'
    WHEN is_admin OR has_not_action OR classification = 'agent' THEN 'high'
    ELSE 'medium' END AS severity,
  format('{} {} ({}) is granted {}; it used {} of {} granted action(s) in the window', replace(kind, 'iam-', ''), name, classification,
    CASE WHEN is_admin THEN 'full administrator access (*:*)' WHEN has_not_action THEN 'an Allow with NotAction'
         ELSE 'service-wide wildcards: ' || array_to_string(broad_grants[1:3], '; ') END,
    len(list_intersect(list_transform(actions_used, x -> lower(x)), granted_actions)), len(granted_actions)) AS reason,
  {
    'name': name,
    'principal_kind': replace(kind, 'iam-', ''),
    'classification': classification,
    'broad_grants': broad_grants,
    'administrator': is_admin,
    'not_action': has_not_action,
    'granted_action_count': len(granted_actions),
    'granted_service_count': granted_services,
    'used_actions': actions_used,
    'used_services': services_used,
    'used_but_not_granted': list_filter(actions_used, x -> NOT list_contains(granted_actions, lower(x))),
    'unused_share': CASE WHEN len(granted_actions) = 0 THEN NULL
      ELSE round(1 - len(list_intersect(list_transform(actions_used, x -> lower(x)), granted_actions)) / len(granted_actions), 4) END,
    'calls_in_window': coalesce(calls, 0)
  } AS evidence
FROM x
ORDER BY subject_id
