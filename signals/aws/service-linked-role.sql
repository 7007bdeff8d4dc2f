/*---
id: aws/service-linked-role
signal: service-linked role
class: aws-service
weight: 100
reads: [identities_base]
meaning: >-
  A role under /aws-service-role/: AWS creates it for a service and only that service assumes it.
not_agent: { text: 'service-linked role: acts for an AWS service, never an agent', replace: true }
---*/
SELECT id, 'path ' || path AS detail FROM identities_base WHERE path LIKE '/aws-service-role/%'
