/*---
id: aws/ownerless
title: Non-human identity with no declared owner
category: ownerless
severity: medium
confidence: high
requires: [identities]
summary: An IAM user or role classified as workload, agent or unknown carries no owner-like tag (owner, owner-email, team, contact, …).
rationale: >-
  Nobody can answer for an identity without an owner: nobody reviews its permissions, rotates its keys, or
  decides it can be deleted when the project ends. Agents without owners are how "shadow AI" accumulates. The
  creator seen in CloudTrail is a suggestion, not an owner: creators move teams and leave.
false_positives:
  - Ownership recorded outside AWS tags (a CMDB or the agent registry); register it so the scanner sees it.
remediation:
  summary: Name a person who owns the identity, as a tag (and in the agent registry).
  steps:
    - Ask the suggested owner (the creator in the evidence) or the team whose workload uses it.
    - Tag the identity with owner=<email of a person, not a team alias>.
    - If nobody claims it, deactivate its credentials and schedule deletion.
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI1:2025"], mitre_attack: ["T1078.004"] }
---*/
SELECT
  kind AS subject_type,
  id AS subject_id,
  account AS account_id,
  arn AS principal_arn,
  a.first_seen,
  a.last_seen,
  CASE classification WHEN 'agent' THEN 'high' WHEN 'workload' THEN 'medium' ELSE 'low' END AS severity,
  format('{} {} ({}) has no owner tag{}', replace(kind, 'iam-', ''), name, classification,
    CASE WHEN creator IS NOT NULL THEN '; created by ' || creator || ' (suggested owner)' ELSE '; creator unknown' END) AS reason,
  {
    'name': name,
    'classification': classification,
    'tags': coalesce(json_keys(tags), []),
    'suggested_owner': creator,
    'creator_arn': creator_arn,
    'commands': [CASE kind WHEN 'iam-user' THEN 'aws iam tag-user --user-name ' || name
                           ELSE 'aws iam tag-role --role-name ' || name END || ' --tags Key=owner,Value=<person@example.com>']
  } AS evidence
FROM nhi i
LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.id
WHERE kind IN ('iam-user', 'iam-role') AND owner_source <> 'tag'
ORDER BY subject_id
