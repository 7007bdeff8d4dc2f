/*---
name: ua_signatures
kind: reference
params: [reference_dir]
summary: >-
  User-agent signatures (RE2 patterns) with the family and kind each one names; among base kinds the lowest ord wins (reference/ua-signatures.csv, sources in ../shared/research/AGENT_SIGNATURES.md).
---*/
CREATE OR REPLACE TABLE ua_signatures AS
SELECT ord::INTEGER AS ord, pattern, family, kind, label, strength
FROM read_csv(getvariable('reference_dir') || '/ua-signatures.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
