/*---
name: ownerless_since
kind: merge
reads: [ownerless_now]
params: [as_of]
summary: >-
  When each subject was first seen without an owner, kept across runs: subjects that are ownerless now are
  added (since as_of), those that got an owner again are removed (their countdown restarts), and a date after
  as_of (a rerun of an earlier day) is moved back to as_of.
---*/
MERGE INTO ownerless_since s USING ownerless_now n ON s.subject_id = n.subject_id
WHEN MATCHED AND s.first_seen > getvariable('as_of') THEN UPDATE SET first_seen = getvariable('as_of')
WHEN NOT MATCHED THEN INSERT VALUES (n.subject_id, getvariable('as_of'), n.reason)
WHEN NOT MATCHED BY SOURCE THEN DELETE
