/*---
id: aws/privilege-escalation
title: Non-human identity can escalate its own privileges
category: privilege-escalation
severity: high
confidence: medium
requires: [nhi, grants, privesc_paths, iam_principals, subject_context]
params:
  include_conditional:
    type: BOOLEAN
    default: false
    description: "Count grants that carry a Condition (e.g. iam:PassedToService, aws:ResourceTag) as usable; off by default because most such conditions are what closes the path"
summary: A workload, agent or unclassified identity holds every action of a published IAM privilege-escalation path (CreatePolicyVersion, Attach/Put*Policy, CreateAccessKey on others, PassRole into new compute, UpdateAssumeRolePolicy, …) on resources that make the path usable.
rationale: >-
  An identity that can change IAM, mint credentials for others, or pass a privileged role to compute it
  controls is one API call away from administrator, whatever its policies say it is for. For an agent this
  is the difference between "summarise tickets" and "own the account" once a prompt injection or a bug tells it
  to try. The paths are data (src/inventory/privesc-paths.ts): the published methods from Rhino Security Labs
  and their later PassRole-to-compute variants. A step only counts when the grant is usable: PassRole on "*",
  on a role wildcard, or on a named role that is itself privileged; CreateAccessKey / login-profile actions on
  someone other than the identity itself (`user/${aws:username}` is self-service); UpdateFunctionCode,
  UpdateDevEndpoint and SendCommand only on every resource. Grants under a Condition (iam:PassedToService,
  tags, MFA) and grants narrowed by a Deny or permissions boundary are not counted unless include_conditional
  is set. Identities that already hold *:* are reported by aws/overbroad instead (they have nothing to escalate to).
false_positives:
  - A deployment pipeline that is meant to manage IAM; confine it with a permissions boundary, then the paths it still has are real.
  - PassRole to a role that looks privileged only because of actions the target service cannot use.
remediation:
  summary: Remove the escalation actions or pin them to named resources, and put a permissions boundary on the identity.
  steps:
    - Read the paths in the evidence; each names the grants (action, resource, policy) that make it usable.
    - Restrict iam:PassRole to the exact role ARNs the workload deploys, with an iam:PassedToService condition.
    - Remove IAM write actions (Put*/Attach*Policy, CreatePolicyVersion, CreateAccessKey, UpdateAssumeRolePolicy) unless the identity's job is IAM; scope them to its own resources otherwise.
    - Attach a permissions boundary that denies IAM writes, so a later policy change cannot reopen the path.
  cli:
    - aws iam put-{principal_kind}-permissions-boundary --{principal_kind}-name {name} --permissions-boundary arn:aws:iam::{account_id}:policy/<boundary>
references:
  - https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
  - https://pathfinding.cloud/
  - https://github.com/nccgroup/PMapper
mappings: { owasp_nhi: ["NHI5:2025"], mitre_attack: ["T1098", "T1078.004", "T1548"] }
---*/
WITH admins AS (
  SELECT DISTINCT principal_arn FROM grants
  WHERE pattern IN ('*', '*:*') AND resource = '*' AND NOT conditional AND NOT partially_denied
),
privileged_roles AS (
  SELECT DISTINCT g.principal_arn AS role_arn FROM grants g
  WHERE g.principal_type = 'role' AND NOT g.conditional AND NOT g.partially_denied AND g.resource = '*'
    AND (g.pattern IN ('*', '*:*') OR g.access_level = 'Permissions management')
),
usable AS (
  SELECT g.principal_arn, p.path_id, p.title, p.severity, p.steps, p.how, p.passed_to, p.reference, p.action,
    g.action || ' on ' || g.resource || ' (' || g.source_policy || CASE WHEN g.conditional THEN ', conditional' ELSE '' END || ')' AS grant_text,
    CASE WHEN p.target = 'role' THEN (
      SELECT list(r.role_arn ORDER BY r.role_arn) FROM privileged_roles r
      WHERE r.role_arn <> g.principal_arn AND (g.resource = '*' OR starts_with(g.resource, 'NOT:') OR r.role_arn GLOB g.resource)) END AS passable
  FROM privesc_paths p
  JOIN grants g ON lower(g.action) = lower(p.action)
  WHERE NOT g.partially_denied AND (NOT g.conditional OR $include_conditional)
    AND CASE p.target
      WHEN 'any' THEN true
      WHEN 'others' THEN g.resource NOT LIKE '%${aws:username}%' AND g.resource <> g.principal_arn
      WHEN 'all' THEN g.resource = '*' OR starts_with(g.resource, 'NOT:') OR regexp_matches(g.resource, '[:/]\*$')
      WHEN 'role' THEN g.resource = '*' OR starts_with(g.resource, 'NOT:') OR regexp_matches(g.resource, ':role/(.*/)?\*$')
        OR EXISTS (SELECT 1 FROM privileged_roles r WHERE r.role_arn <> g.principal_arn AND r.role_arn GLOB g.resource)
      ELSE false END
),
paths AS (
  SELECT principal_arn, path_id, any_value(title) AS title, any_value(severity) AS severity, any_value(steps) AS steps, any_value(how) AS how,
    any_value(passed_to) AS passed_to, any_value(reference) AS reference,
    list(DISTINCT grant_text ORDER BY grant_text) AS grants,
    list_sort(list_distinct(flatten(list(coalesce(passable, []))))) AS passable_privileged_roles
  FROM usable
  GROUP BY principal_arn, path_id
  HAVING count(DISTINCT lower(action)) = any_value(steps)
),
exercised AS (
  SELECT principal_arn, list(DISTINCT iam_action ORDER BY iam_action) AS actions
  FROM ct_enriched
  WHERE error_code IS NULL AND lower(iam_action) IN (SELECT lower(action) FROM privesc_paths)
  GROUP BY principal_arn
),
per AS (
  SELECT principal_arn,
    list({'path': path_id, 'title': title, 'how': how, 'grants': grants, 'passed_to': passed_to,
          'passable_privileged_roles': passable_privileged_roles, 'reference': reference}
      ORDER BY list_position(['critical', 'high', 'medium'], severity), steps DESC, path_id) AS paths,
    (['info', 'low', 'medium', 'high', 'critical'])[max(list_position(['info', 'low', 'medium', 'high', 'critical'], severity))] AS worst
  FROM paths GROUP BY principal_arn
)
SELECT
  i.kind AS subject_type,
  i.arn AS subject_id,
  i.account AS account_id,
  i.arn AS principal_arn,
  a.first_seen,
  a.last_seen,
  follow_subject(p.worst, sc.tier) AS severity,
  format('{} {} ({}) can escalate to administrator through {} path(s): {}{}', replace(i.kind, 'iam-', ''), i.name, i.classification,
    len(p.paths), array_to_string(list_transform(p.paths[1:3], x -> x.title), '; '),
    CASE WHEN len(coalesce(e.actions, [])) > 0 THEN '; it called ' || array_to_string(e.actions[1:4], ', ') || ' in the window' ELSE '' END) AS reason,
  {
    'name': i.name,
    'principal_kind': replace(i.kind, 'iam-', ''),
    'classification': i.classification,
    'subject_tier': sc.tier,
    'path_count': len(p.paths),
    'paths': p.paths,
    'escalation_actions_called_in_window': coalesce(e.actions, [])
  } AS evidence
FROM per p
JOIN nhi i ON i.arn = p.principal_arn AND i.kind IN ('iam-user', 'iam-role')
LEFT JOIN subject_context sc ON sc.id = i.id
LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.arn
LEFT JOIN exercised e ON e.principal_arn = i.arn
WHERE i.arn NOT IN (SELECT principal_arn FROM admins)
ORDER BY subject_id
