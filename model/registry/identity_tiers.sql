/*---
name: identity_tiers
kind: table
reads: [call_tiers, grant_tiers, identities]
params: []
summary: >-
  Effective tier of each identity, from what it can do (grants) and from what it did (calls), with the reasons. Access keys take their user's grants and their own calls.
---*/
CREATE OR REPLACE TABLE identity_tiers AS
WITH ids AS (
  SELECT id, kind, CASE WHEN kind = 'access-key' THEN parent_id ELSE arn END AS grant_arn,
    CASE WHEN kind = 'access-key' THEN 'access-key' ELSE 'principal' END AS act_type
  FROM identities
),
gmax AS (SELECT principal_arn, max(tier) AS tier, count(*) AS granted FROM grant_tiers GROUP BY 1),
gwhy AS (
  SELECT g.principal_arn,
    list({'action': g.action, 'access_level': g.access_level, 'policy': g.source_policy, 'why': g.why} ORDER BY g.action)[1:8] AS grants,
    count(*) AS at_tier
  FROM grant_tiers g JOIN gmax m ON m.principal_arn = g.principal_arn AND g.tier = m.tier GROUP BY 1
),
cmax AS (SELECT subject_type, subject_id, max(tier) AS tier, sum(calls)::BIGINT AS calls FROM call_tiers GROUP BY ALL),
cwhy AS (
  SELECT c.subject_type, c.subject_id,
    list({'action': c.action, 'calls': c.calls, 'last_call': c.last_call, 'why': c.why} ORDER BY c.calls DESC, c.action)[1:8] AS calls
  FROM call_tiers c JOIN cmax m ON m.subject_type = c.subject_type AND m.subject_id = c.subject_id AND c.tier = m.tier GROUP BY ALL
)
SELECT ids.id AS identity_id,
  gmax.tier AS grant_tier, coalesce(gmax.granted, 0) AS granted_actions, gwhy.at_tier AS grant_actions_at_tier, coalesce(gwhy.grants, []) AS grant_reasons,
  cmax.tier AS observed_tier, coalesce(cmax.calls, 0) AS observed_calls, coalesce(cwhy.calls, []) AS observed_reasons
FROM ids
LEFT JOIN gmax ON gmax.principal_arn = ids.grant_arn
LEFT JOIN gwhy ON gwhy.principal_arn = ids.grant_arn
LEFT JOIN cmax ON cmax.subject_type = ids.act_type AND cmax.subject_id = ids.id
LEFT JOIN cwhy ON cwhy.subject_type = ids.act_type AND cwhy.subject_id = ids.id
