/*---
id: aws/only-aws-services
signal: only AWS services act through it
class: aws-service
weight: 100
reads: [activity_v, identities_base]
meaning: >-
  A role every call of which, in the window, was made by an AWS service.
---*/
SELECT ib.id, act.calls || ' call(s), every one by an AWS service (' || array_to_string(act.ua_families, ', ') || ')' AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_type = 'principal' AND act.subject_id = ib.id
WHERE ib.kind = 'iam-role' AND act.calls > 0 AND act.ua_kinds = ['aws-internal']
