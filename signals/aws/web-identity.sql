/*---
id: aws/web-identity
signal: assumed through web identity (OIDC)
class: workload
weight: 30
reads: [identities_base, trusts]
meaning: >-
  The role's trust policy lets an OIDC provider's tokens assume it (GitHub Actions, EKS service accounts, …).
---*/
SELECT ib.id, 'trust policy allows ' || t.principal AS detail
FROM identities_base ib JOIN trusts t ON t.role_arn = ib.arn
WHERE t.effect = 'Allow' AND t.principal_type = 'Federated' AND t.principal NOT LIKE '%saml-provider%'
