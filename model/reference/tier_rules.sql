/*---
name: tier_rules
kind: reference
params: [reference_dir]
summary: >-
  What lifts an action to a registry tier beyond its IAM access level: a rule (several rows: one per service) whose action_pattern (RE2, full match of the lower-case action name) matches is tier 3 (external-facing) or tier 0 (housekeeping that does not count as a write).
---*/
CREATE OR REPLACE TABLE tier_rules AS
SELECT rule::INTEGER AS rule, service, action_pattern, tier::INTEGER AS tier, label
FROM read_csv(getvariable('reference_dir') || '/tier-rules.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
