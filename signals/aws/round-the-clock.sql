/*---
id: aws/round-the-clock
signal: round-the-clock cadence
class: workload
weight: 20
reads: [activity_v, identities_base]
meaning: >-
  Active in 18 or more distinct hours of the day over at least 3 days: nobody works like that.
---*/
SELECT ib.id, 'active in ' || act.active_hours_of_day || ' distinct hours of the day over ' || act.active_days || ' days' AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE act.active_hours_of_day >= 18 AND act.active_days >= 3
