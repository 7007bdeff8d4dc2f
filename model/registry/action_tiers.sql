/*---
name: action_tiers
kind: table
reads: [action_rule_hits, grants]
params: []
summary: >-
  Tier of each distinct granted action (access level, raised or neutralised by tier_rules), computed once per action rather than per grant row: admin roles expand to ~20k rows each.
---*/
CREATE OR REPLACE TABLE action_tiers AS
WITH a AS (SELECT DISTINCT action, access_level FROM grants),
lv AS (
  SELECT a.action, a.access_level, max(h.tier) FILTER (WHERE h.tier = 3) AS rule3, bool_or(h.tier = 0) AS neutral, arg_max(h.label, h.tier) AS label
  FROM a LEFT JOIN action_rule_hits h ON h.la = lower(a.action)
  GROUP BY ALL
)
SELECT action, access_level,
  CASE WHEN rule3 = 3 THEN 3 WHEN neutral THEN 1 WHEN access_level = 'Permissions management' THEN 3
       WHEN access_level IN ('Write', 'Tagging') THEN 2 ELSE 1 END AS tier,
  CASE WHEN rule3 = 3 THEN label WHEN neutral THEN label WHEN access_level = 'Permissions management' THEN 'changes identities and permissions'
       WHEN access_level IN ('Write', 'Tagging') THEN 'writes internal systems' ELSE 'reads' END AS why
FROM lv
