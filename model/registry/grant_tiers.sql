/*---
name: grant_tiers
kind: view
reads: [action_tiers, grants]
params: []
summary: >-
  Every grant with the tier of its action and why.
---*/
CREATE OR REPLACE VIEW grant_tiers AS
SELECT g.principal_arn, g.action, g.access_level, g.source_policy, g.resource, t.tier, t.why
FROM grants g JOIN action_tiers t ON t.action = g.action AND t.access_level IS NOT DISTINCT FROM g.access_level
