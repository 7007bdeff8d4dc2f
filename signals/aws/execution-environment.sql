/*---
id: aws/execution-environment
signal: execution environment
class: workload
weight: 20
reads: [activity_v, identities_base]
meaning: >-
  Calls that declare an execution environment (exec-env/AWS_Lambda, ECS, …) in the user agent.
---*/
SELECT ib.id, array_to_string(act.exec_envs, ', ') AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE len(act.exec_envs) > 0
