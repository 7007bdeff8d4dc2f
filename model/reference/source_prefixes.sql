/*---
name: source_prefixes
kind: reference
params: [reference_dir]
summary: >-
  CloudTrail event-source prefixes (without .amazonaws.com) whose IAM service prefix differs.
---*/
CREATE OR REPLACE TABLE source_prefixes AS
SELECT event_source_prefix, iam_prefix
FROM read_csv(getvariable('reference_dir') || '/source-prefixes.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
