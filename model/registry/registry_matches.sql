/*---
name: registry_matches
kind: table
reads: [identities_found, registry_direct]
params: []
summary: >-
  Registry coverage: direct matches, plus the keys of a registered user and the user of a registered key (a user that exists to hold an agent's key is that agent).
---*/
CREATE OR REPLACE TABLE registry_matches AS
WITH m AS (
  SELECT agent_id, identity_id, 1 AS ord, 'listed' AS via FROM registry_direct
  UNION ALL
  SELECT d.agent_id, k.id, 2, 'key of a listed user' FROM registry_direct d JOIN identities_found k ON k.kind = 'access-key' AND k.parent_id = d.identity_id
  UNION ALL
  SELECT d.agent_id, k.parent_id, 3, 'user of a listed key' FROM registry_direct d JOIN identities_found k ON k.id = d.identity_id
  WHERE k.kind = 'access-key' AND k.parent_id IS NOT NULL AND k.parent_id IN (SELECT id FROM identities_found)
)
SELECT agent_id, identity_id, arg_min(via, ord) AS via FROM m GROUP BY agent_id, identity_id
