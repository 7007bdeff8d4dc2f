/*---
id: aws/software-user-agents
signal: software user agents
class: workload
weight: 25
reads: [activity_v, identities_base]
meaning: >-
  Calls made by SDKs, IaC tools, raw HTTP clients or LLM client libraries (not the console or the CLI).
---*/
SELECT ib.id, array_to_string(list_filter(act.ua_families, x -> x NOT IN ('console', 'aws-internal', 'other', 'none', 'aws-cli')), ', ') AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE act.software_calls > 0
