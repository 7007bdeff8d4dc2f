/*---
name: owner_tag_keys
kind: reference
params: [reference_dir]
summary: >-
  Owner-like tag keys, strongest (lowest pos) first, matched case-insensitively.
---*/
CREATE OR REPLACE TABLE owner_tag_keys AS
SELECT pos::INTEGER AS pos, key
FROM read_csv(getvariable('reference_dir') || '/owner-tag-keys.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
