/*---
name: action_rule_hits
kind: table
reads: [ct_enriched, grants, tier_rules]
params: []
summary: >-
  Which tier rules match each action name that is granted or was called (lower case), once per name.
---*/
CREATE OR REPLACE TABLE action_rule_hits AS
WITH a AS (
  SELECT DISTINCT lower(action) AS la FROM grants WHERE action IS NOT NULL
  UNION
  SELECT DISTINCT lower(iam_action) FROM ct_enriched WHERE iam_action IS NOT NULL
)
SELECT DISTINCT a.la, r.rule, r.tier, r.label
FROM a JOIN tier_rules r ON r.service = split_part(a.la, ':', 1)
WHERE regexp_full_match(split_part(a.la, ':', 2), r.action_pattern)