/*---
name: ua_kinds
kind: reference
params: [reference_dir]
summary: >-
  The kinds a user-agent signature can have; base kinds name the program that made the call (one per user agent), the others are markers (any number).
---*/
CREATE OR REPLACE TABLE ua_kinds AS
SELECT kind, base::BOOLEAN AS base, meaning
FROM read_csv(getvariable('reference_dir') || '/ua-kinds.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
