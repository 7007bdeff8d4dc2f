/*---
id: aws/console-password-mfa
signal: console password with MFA
class: human
weight: 35
reads: [iam_credential_report, identities_base]
meaning: >-
  An IAM user with a console password and an MFA device (credential report).
---*/
SELECT ib.id, 'credential report: password enabled, MFA active' AS detail
FROM identities_base ib JOIN iam_credential_report cr ON cr.arn = ib.arn
WHERE ib.kind = 'iam-user' AND cr.password_enabled AND cr.mfa_active
