/*---
name: call_tiers
kind: table
reads: [access_levels, action_rule_hits, ct_enriched, grants, iam_actions]
params: []
summary: >-
  Observed calls (successful, in the window) per subject and action, with their access level and tier (the level's tier in access_levels, raised or neutralised by tier_rules).
---*/
CREATE OR REPLACE TABLE call_tiers AS
WITH c AS (
  SELECT 'principal' AS subject_type, principal_arn AS subject_id, iam_action AS action, sum(event_count)::BIGINT AS calls, max(last_time) AS last_call
  FROM ct_enriched WHERE error_code IS NULL AND principal_arn IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT 'access-key', access_key_id, iam_action, sum(event_count)::BIGINT, max(last_time)
  FROM ct_enriched WHERE error_code IS NULL AND starts_with(access_key_id, 'AKIA') GROUP BY ALL
),
-- access level from the IAM catalogue (reference table), else from any grant of that action
cat AS (SELECT lower(action) AS a, any_value(access_level) AS access_level FROM iam_actions GROUP BY 1),
lvl AS (SELECT lower(action) AS a, any_value(access_level) AS access_level FROM grants GROUP BY 1),
x AS (
  SELECT c.*, coalesce(cat.access_level, lvl.access_level,
      CASE WHEN regexp_matches(split_part(c.action, ':', 2), '^(Get|List|Describe|Lookup|Search|Scan|Query|BatchGet|Select|Head|Invoke(Model|Agent|InlineAgent)|Converse|Retrieve|CountTokens|Filter|Check|Validate|Preview|Estimate|Simulate|Decrypt|GenerateDataKey)')
           THEN 'Read' ELSE 'Write' END) AS access_level,
    max(h.tier) FILTER (WHERE h.tier = 3) AS rule3, bool_or(h.tier = 0) AS neutral, arg_max(h.label, h.tier) AS label
  FROM c LEFT JOIN cat ON cat.a = lower(c.action) LEFT JOIN lvl ON lvl.a = lower(c.action) LEFT JOIN action_rule_hits h ON h.la = lower(c.action)
  GROUP BY ALL
)
SELECT subject_type, subject_id, action, calls, last_call, x.access_level,
  CASE WHEN rule3 = 3 THEN 3 WHEN neutral THEN 1 ELSE coalesce(al.tier, 1) END AS tier,
  CASE WHEN rule3 = 3 OR neutral THEN label ELSE coalesce(al.called_why, 'read') END AS why
FROM x LEFT JOIN access_levels al ON al.access_level = x.access_level
