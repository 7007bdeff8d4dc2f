/*---
id: aws/attack-tool
signal: driven by an attack or audit tool
class: workload
weight: 30
reads: [activity_v, identities_base]
meaning: >-
  Its calls come from an attack-simulation or audit tool (Stratus Red Team, Pacu, ScoutSuite, Prowler, …; reference/ua-signatures.csv).
---*/
SELECT ib.id, array_to_string(act.attack_tools, ', ') AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE len(act.attack_tools) > 0
