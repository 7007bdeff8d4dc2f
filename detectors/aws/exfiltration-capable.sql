/*---
id: aws/exfiltration-capable
title: Non-human identity can both read private data and send it out
category: exfiltration-capable
severity: high
confidence: medium
requires: [nhi, grants, ct_enriched, event_action_map, subject_context, activity_v]
params:
  read_actions:
    type: VARCHAR[]
    default: [s3:GetObject, s3:GetObjectVersion, dynamodb:GetItem, dynamodb:BatchGetItem, dynamodb:Query, dynamodb:Scan, secretsmanager:GetSecretValue, ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath, rds-data:ExecuteStatement, rds-data:BatchExecuteStatement]
    description: "Actions that read a data store (any resource counts)"
  send_actions:
    type: VARCHAR[]
    default: [ses:SendEmail, ses:SendRawEmail, ses:SendTemplatedEmail, ses:SendBulkTemplatedEmail, ses:SendBulkEmail, lambda:CreateFunctionUrlConfig, lambda:UpdateFunctionUrlConfig]
    description: "Actions that send data to a recipient the caller chooses (any resource counts)"
  send_actions_wildcard:
    type: VARCHAR[]
    default: [sns:Publish, sqs:SendMessage, s3:PutObject, s3:PutObjectAcl, s3:PutBucketPolicy, s3:PutBucketAcl, lambda:AddPermission, ec2:ModifySnapshotAttribute, ec2:ModifyImageAttribute, rds:ModifyDBSnapshotAttribute, rds:ModifyDBClusterSnapshotAttribute]
    description: "Actions that send data out only when granted on any resource (*, any account, any bucket): other accounts' topics and buckets, public policies, shared snapshots"
  include_conditional:
    type: BOOLEAN
    default: false
    description: "Count grants that carry a Condition"
summary: A workload, agent or unclassified identity is granted at least one data-store read (S3 objects, DynamoDB, Secrets Manager, SSM parameters, RDS Data API) and at least one outbound channel (SES, public Lambda URLs, SNS/SQS/S3 writes to any account, bucket policies, snapshot sharing).
rationale: >-
  Private data plus a way out is what turns a prompt injection or a stolen credential into a breach. An agent
  that reads tickets from S3 and may send e-mail can be talked into mailing the bucket to a stranger; a
  workload that may PutObject on "*" can copy data into a bucket in someone else's account. Either half alone
  is routine; together they deserve an owner's decision. Outbound writes count only when the grant is on any
  resource (another account's topic, queue or bucket), and grants under a Condition or narrowed by a Deny or
  permissions boundary do not count unless include_conditional is set. Identities holding *:* are reported by
  aws/overbroad instead. The evidence says which of the actions the identity actually called in the window.
false_positives:
  - Notification workloads that must read a record and e-mail it to its owner; pin ses:SendEmail to a verified identity and ses:Recipients condition.
  - "S3 writes on * used only for the account's own buckets: scope Resource to those bucket ARNs."
remediation:
  summary: Split reading from sending, or pin the outbound channel to known recipients and resources.
  steps:
    - Check in the evidence which read and send grants the identity holds and which it used.
    - Remove the outbound channel if the identity never uses it; otherwise scope it (SES identity and ses:Recipients, SNS topic ARNs in this account, S3 buckets of this account with aws:ResourceAccount).
    - Scope data-store reads to the tables, buckets, secrets and parameters the identity reads.
    - For agents, route outbound messages through a tool that enforces an allow-list of recipients.
references:
  - https://github.com/salesforce/cloudsplaining
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI5:2025"], mitre_attack: ["T1530", "T1537", "T1048"] }
---*/
WITH admins AS (
  SELECT DISTINCT principal_arn FROM grants
  WHERE pattern IN ('*', '*:*') AND resource = '*' AND NOT conditional AND NOT partially_denied
),
g AS (
  SELECT principal_arn, action, resource, source_policy,
    resource = '*' OR starts_with(resource, 'NOT:') OR regexp_matches(resource, '^arn:[^:]+:[^:]+:[^:]*:\*:')
      OR regexp_matches(resource, '^arn:[^:]+:s3:::\*') AS any_resource
  FROM grants
  WHERE NOT partially_denied AND (NOT conditional OR $include_conditional)
),
reads AS (
  SELECT principal_arn, list(DISTINCT action ORDER BY action) AS actions,
    list(DISTINCT action || ' on ' || resource ORDER BY action || ' on ' || resource)[1:10] AS grants
  FROM g WHERE lower(action) IN (SELECT lower(unnest($read_actions)))
  GROUP BY principal_arn
),
sends AS (
  SELECT principal_arn, list(DISTINCT action ORDER BY action) AS actions,
    list(DISTINCT action || ' on ' || resource || ' (' || source_policy || ')' ORDER BY action || ' on ' || resource || ' (' || source_policy || ')')[1:10] AS grants
  FROM g
  WHERE lower(action) IN (SELECT lower(unnest($send_actions)))
     OR (any_resource AND lower(action) IN (SELECT lower(unnest($send_actions_wildcard))))
  GROUP BY principal_arn
),
used AS (
  SELECT principal_arn, list(DISTINCT iam_action ORDER BY iam_action) AS actions
  FROM ct_enriched
  -- the actions are matched once per distinct IAM action (event_action_map), not lower-cased per event row
  WHERE error_code IS NULL AND iam_action IN (SELECT iam_action FROM event_action_map WHERE lower(iam_action) IN (
    SELECT lower(unnest($read_actions)) UNION SELECT lower(unnest($send_actions)) UNION SELECT lower(unnest($send_actions_wildcard))))
  GROUP BY principal_arn
)
SELECT
  i.kind AS subject_type,
  i.arn AS subject_id,
  i.account AS account_id,
  i.arn AS principal_arn,
  a.first_seen,
  a.last_seen,
  follow_subject(CASE WHEN i.classification = 'agent' OR len(list_intersect(list_transform(coalesce(u.actions, []), x -> lower(x)),
      list_transform(s.actions, x -> lower(x)))) > 0 THEN 'high' ELSE 'medium' END, sc.tier) AS severity,
  format('{} {} ({}) can read {} and send data out through {}{}', replace(i.kind, 'iam-', ''), i.name, i.classification,
    array_to_string(r.actions[1:3], ', ') || CASE WHEN len(r.actions) > 3 THEN ', …' ELSE '' END,
    array_to_string(s.actions[1:3], ', ') || CASE WHEN len(s.actions) > 3 THEN ', …' ELSE '' END,
    CASE WHEN len(coalesce(u.actions, [])) > 0 THEN '; used in the window: ' || array_to_string(u.actions[1:4], ', ') ELSE '' END) AS reason,
  {
    'name': i.name,
    'principal_kind': replace(i.kind, 'iam-', ''),
    'classification': i.classification,
    'subject_tier': sc.tier,
    'read_actions': r.actions,
    'read_grants': r.grants,
    'send_actions': s.actions,
    'send_grants': s.grants,
    'used_in_window': coalesce(u.actions, [])
  } AS evidence
FROM reads r
JOIN sends s USING (principal_arn)
JOIN nhi i ON i.arn = r.principal_arn AND i.kind IN ('iam-user', 'iam-role')
LEFT JOIN subject_context sc ON sc.id = i.id
LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.arn
LEFT JOIN used u ON u.principal_arn = i.arn
WHERE i.arn NOT IN (SELECT principal_arn FROM admins)
ORDER BY subject_id
