/*---
name: access_levels
kind: reference
params: [reference_dir]
summary: >-
  The IAM access levels and what each means here, the one definition: `writes` (the action changes state: Write, Tagging and Permissions management; what "write actions" counts everywhere), the registry tier an action of that level starts at before tier_rules (List/Read 1, Write/Tagging 2, Permissions management 3), and the words for a granted and a called action.
---*/
CREATE OR REPLACE TABLE access_levels AS
SELECT access_level, writes::BOOLEAN AS writes, tier::INTEGER AS tier, granted_why, called_why
FROM read_csv(getvariable('reference_dir') || '/access-levels.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
