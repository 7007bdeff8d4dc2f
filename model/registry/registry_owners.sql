/*---
name: registry_owners
kind: table
reads: [registry_agents, registry_matches]
params: []
summary: >-
  The owner the registry declares for each identity it covers (the first agent by id when several cover it).
---*/
CREATE OR REPLACE TABLE registry_owners AS
SELECT m.identity_id, arg_min(a.owner, a.agent_id) AS owner
FROM registry_matches m JOIN registry_agents a USING (agent_id)
GROUP BY m.identity_id
