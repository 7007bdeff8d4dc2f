/*---
name: ownerless_now
kind: table
reads: [nhi, people_active, registry_agents]
params: []
summary: >-
  Subjects without an owner right now, whose deprovisioning countdown runs: non-human IAM users and roles with no tag or registry owner, or whose owner (a person's tag, or the registry's) is not on the roster; and registry entries whose owner is not on the roster. Roster checks apply only when a roster exists; team tags (team, squad) name no person.
---*/
CREATE OR REPLACE TABLE ownerless_now AS
WITH roster AS (SELECT person, split_part(person, '@', 1) AS local FROM people_active),
departed AS (
  SELECT i.id, i.owner, i.owner_source FROM nhi i
  WHERE i.kind IN ('iam-user', 'iam-role') AND i.owner IS NOT NULL
    AND (i.owner_source = 'registry' OR (i.owner_source = 'tag' AND lower(coalesce(i.owner_tag_key, '')) NOT IN ('team', 'squad')))
    AND EXISTS (SELECT 1 FROM roster)
    AND NOT EXISTS (SELECT 1 FROM roster p WHERE p.person = lower(i.owner) OR p.person = split_part(lower(i.owner), '@', 1) OR p.local = lower(i.owner))
)
SELECT id AS subject_id, 'no owner tag and no registry entry' AS reason FROM nhi
WHERE kind IN ('iam-user', 'iam-role') AND owner_source NOT IN ('tag', 'registry')
UNION ALL
SELECT id, CASE owner_source WHEN 'tag' THEN 'owner tag ' ELSE 'registry owner ' END || owner || ' is not on the people roster' FROM departed
UNION ALL
SELECT 'registry:' || agent_id, 'registry owner ' || owner || ' is not on the people roster' FROM registry_agents a
WHERE EXISTS (SELECT 1 FROM people_active)
  AND NOT EXISTS (SELECT 1 FROM people_active p WHERE p.person = lower(a.owner) OR p.person = split_part(lower(a.owner), '@', 1))
