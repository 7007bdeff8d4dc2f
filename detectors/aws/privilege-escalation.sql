/*---
id: aws/privilege-escalation
title: Non-human identity can escalate its own privileges
category: privilege-escalation
severity: high
confidence: medium
requires: [nhi, privesc_found, privesc_hops, privesc_paths, subject_context, activity_v, ct_enriched]
params:
  include_conditional:
    type: BOOLEAN
    default: false
    description: "Also report paths that hold only under conditions the scan cannot decide offline (aws:SourceVpc, sts:ExternalId, iam:PolicyARN, …; listed per hop); off by default"
summary: A workload, agent or unclassified identity can reach administrator, in one hop (a published method such as CreatePolicyVersion, Put/Attach*Policy, PassRole into new compute, taking over existing compute, minting another user's keys) or through a chain of them across roles and accounts (assume a role that can pass an admin role, …).
rationale: >-
  An identity that can change IAM, mint credentials for others, pass a privileged role to compute it
  controls, or assume a role that can do any of these, is administrator in all but name. For an agent this
  is the difference between "summarise tickets" and "own the account" once a prompt injection or a bug tells
  it to try. The scan builds a graph of every user and role in the scanned accounts (src/inventory/privesc-graph.ts):
  edges are "can assume" (trust policy and the caller's permission), "can pass the role to compute it creates",
  "can take over compute that may run as the role", "can rewrite the role's trust" and "can create credentials
  for the user", each decided by a local policy evaluator that applies Denies (incl. NotAction/NotResource),
  permissions boundaries, resource patterns and the conditions it can decide offline (dates against the
  as-of time, aws:TokenIssueTime, MFA, principal and role tags, iam:PassedToService, attacker-chosen keys).
  A principal is flagged when a path reaches a node that holds *:* or can rewrite its own permissions; the
  evidence lists every hop with the permission used and whether CloudTrail saw the role assumption. The
  methods are data (src/inventory/privesc-paths.ts), each with its source. AWS-managed policies and
  service-linked roles are never targets. Identities that already hold *:* are reported by aws/overbroad.
false_positives:
  - A deployment pipeline that is meant to manage IAM; confine it with a permissions boundary, then the paths it still has are real.
  - PassRole to a role that looks privileged only because of actions the target service cannot use.
remediation:
  summary: Remove the escalation actions or pin them to named resources, and put a permissions boundary on the identity.
  steps:
    - Read the paths in the evidence; each hop names the permission used (action, resource, policy) and, for chains, the role it reaches.
    - Break a chain at its cheapest hop - often the trust policy of the first role, or a PassRole on "*".
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
WITH paths AS (
  SELECT f.principal_arn, f.path_no, f.path, f.hops, f.severity, f.conditional, f.target_arn,
    list({'from': h.from_arn, 'to': h.to_arn, 'method': h.method, 'title': h.title,
          'permissions': from_json(h.permissions, '["VARCHAR"]'), 'conditions': from_json(h.conditions, '["VARCHAR"]'),
          'observed': h.observed, 'reference': h.reference} ORDER BY h.hop_no) AS hop_list,
    string_agg(h.title, ' → ' ORDER BY h.hop_no) AS title,
    count(*) FILTER (WHERE h.observed) AS observed_hops
  FROM privesc_found f JOIN privesc_hops h ON h.principal_arn = f.principal_arn AND h.path_no = f.path_no
  WHERE NOT f.conditional OR $include_conditional
  GROUP BY ALL
),
exercised AS (
  SELECT principal_arn, list(DISTINCT iam_action ORDER BY iam_action) AS actions
  FROM ct_enriched
  WHERE error_code IS NULL AND lower(iam_action) IN (SELECT lower(action) FROM privesc_paths)
  GROUP BY principal_arn
),
per AS (
  SELECT principal_arn,
    list({'path': path, 'title': title, 'hops': hops, 'severity': severity, 'conditional': conditional, 'reaches': target_arn,
          'steps': hop_list} ORDER BY conditional, hops, list_position(['critical', 'high', 'medium'], severity), path_no) AS paths,
    (['info', 'low', 'medium', 'high', 'critical'])[max(list_position(['info', 'low', 'medium', 'high', 'critical'], severity))] AS worst,
    min(hops) AS fewest_hops,
    sum(observed_hops) AS observed_hops
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
  format('{} {} ({}) can escalate to administrator {} through {} path(s): {}{}', replace(i.kind, 'iam-', ''), i.name, i.classification,
    CASE WHEN p.fewest_hops = 1 THEN 'in one step' ELSE 'in ' || p.fewest_hops || ' steps' END,
    len(p.paths), array_to_string(list_transform(p.paths[1:3], x -> x.title), '; '),
    CASE WHEN len(coalesce(e.actions, [])) > 0 THEN '; it called ' || array_to_string(e.actions[1:4], ', ') || ' in the window' ELSE '' END
    || CASE WHEN p.observed_hops > 0 THEN '; CloudTrail shows ' || p.observed_hops || ' of the role assumptions used' ELSE '' END) AS reason,
  {
    'name': i.name,
    'principal_kind': replace(i.kind, 'iam-', ''),
    'classification': i.classification,
    'subject_tier': sc.tier,
    'path_count': len(p.paths),
    'fewest_hops': p.fewest_hops,
    'paths': p.paths,
    'escalation_actions_called_in_window': coalesce(e.actions, [])
  } AS evidence
FROM per p
JOIN nhi i ON i.arn = p.principal_arn AND i.kind IN ('iam-user', 'iam-role')
LEFT JOIN subject_context sc ON sc.id = i.id
LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.arn
LEFT JOIN exercised e ON e.principal_arn = i.arn
ORDER BY subject_id
