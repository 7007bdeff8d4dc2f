/*---
id: aws/unrecognised-software
signal: unrecognised software
class: workload
weight: 20
reads: [activity_v, identities_base]
meaning: >-
  Calls from clients that are not a console, a browser or AWS itself and match no known signature: software nobody catalogued.
---*/
SELECT ib.id, act.unrecognised_calls || ' call(s) from clients that are not a console, a browser or AWS itself: '
    || array_to_string(act.unrecognised_agents, '; ') AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE act.unrecognised_calls > 0
