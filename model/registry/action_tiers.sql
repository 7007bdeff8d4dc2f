/*---
name: action_tiers
kind: table
reads: [access_levels, action_rule_hits, grants]
params: []
summary: >-
  Tier of each distinct granted action (its access level's tier in access_levels, raised or neutralised by tier_rules), computed once per action rather than per grant row: admin roles expand to ~20k rows each.
---*/
CREATE OR REPLACE TABLE action_tiers AS
WITH a AS (SELECT DISTINCT action, access_level FROM grants),
lv AS (
  SELECT a.action, a.access_level, max(h.tier) FILTER (WHERE h.tier = 3) AS rule3, bool_or(h.tier = 0) AS neutral, arg_max(h.label, h.tier) AS label
  FROM a LEFT JOIN action_rule_hits h ON h.la = lower(a.action)
  GROUP BY ALL
)
SELECT lv.action, lv.access_level,
  CASE WHEN rule3 = 3 THEN 3 WHEN neutral THEN 1 ELSE coalesce(al.tier, 1) END AS tier,
  CASE WHEN rule3 = 3 OR neutral THEN label ELSE coalesce(al.granted_why, 'reads') END AS why
FROM lv LEFT JOIN access_levels al ON al.access_level = lv.access_level
