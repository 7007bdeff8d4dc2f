/*---
id: aws/programmatic-only-user
signal: user without console password
class: workload
weight: 10
reads: [iam_credential_report, identities_base]
meaning: >-
  An IAM user with an active access key and no console password: made for programs.
---*/
SELECT ib.id, 'programmatic access only' AS detail
FROM identities_base ib JOIN iam_credential_report cr ON cr.arn = ib.arn
WHERE ib.kind = 'iam-user' AND NOT coalesce(cr.password_enabled, false) AND (cr.key1_active OR cr.key2_active)
