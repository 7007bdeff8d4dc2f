/*---
id: aws/console-password
signal: console password
class: human
weight: 15
reads: [iam_credential_report, identities_base]
meaning: >-
  An IAM user with a console password but no MFA device (credential report).
---*/
SELECT ib.id, 'credential report: password enabled, no MFA' AS detail
FROM identities_base ib JOIN iam_credential_report cr ON cr.arn = ib.arn
WHERE ib.kind = 'iam-user' AND cr.password_enabled AND NOT coalesce(cr.mfa_active, false)
