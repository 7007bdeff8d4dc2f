/*---
id: aws/saml-federation
signal: assumed through SAML federation
class: human
weight: 25
reads: [identities_base, trusts]
meaning: >-
  The role's trust policy lets a SAML identity provider's users assume it: people sign in through it.
---*/
SELECT ib.id, 'trust policy allows ' || t.principal AS detail
FROM identities_base ib JOIN trusts t ON t.role_arn = ib.arn
WHERE t.effect = 'Allow' AND t.principal_type = 'Federated' AND t.principal LIKE '%saml-provider%'
