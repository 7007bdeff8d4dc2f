/*---
id: aws/sso-permission-set-role
signal: SSO permission-set role
class: human
weight: 100
reads: [identities_base]
meaning: >-
  A role IAM Identity Center made for a permission set: people sign in through it.
not_agent: { text: 'IAM Identity Center role: people sign in through it, never an agent', replace: true }
---*/
SELECT id, 'IAM Identity Center role ' || name AS detail FROM identities_base
WHERE kind = 'iam-role' AND (name LIKE 'AWSReservedSSO\_%' ESCAPE '\' OR path LIKE '/aws-reserved/sso.amazonaws.com/%')
