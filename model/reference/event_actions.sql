/*---
name: event_actions
kind: reference
params: [reference_dir]
summary: >-
  CloudTrail events whose IAM action is not "<service prefix>:<eventName>", and events that need no permission.
---*/
CREATE OR REPLACE TABLE event_actions AS
SELECT event_source, event_name, action, permission_free::BOOLEAN AS permission_free
FROM read_csv(getvariable('reference_dir') || '/event-actions.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
