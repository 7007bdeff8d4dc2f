/*---
name: declared_agents
kind: table
reads: [agent_declarations, identities_base, registry_identities]
params: []
summary: >-
  AWS identities their owner declared an agent: listed in an agent registry entry (the identity, its user, a key of
  it; the role path may be left out), or tagged as one (agent-id, agent-tier, ai-agent, purpose=ai-agent:
  reference/agent-declarations.csv); keys carry their user's declaration. source: registry | tags.
---*/
CREATE OR REPLACE TABLE declared_agents AS
WITH ib AS (SELECT * FROM identities_base),
registered AS (
  SELECT DISTINCT ib.id, r.agent_id FROM ib JOIN registry_identities r ON
    (r.ref_kind = 'aws-arn' AND ib.kind <> 'access-key' AND (ib.id = r.ref OR ib.arn = r.ref
       OR (ib.account = regexp_extract(r.ref, '::(\d{12}):', 1) AND ib.name = regexp_extract(r.ref, ':(?:user|role)/(?:.*/)?([^/]+)$', 1)
           AND ib.kind = CASE WHEN regexp_matches(r.ref, ':user/') THEN 'iam-user' ELSE 'iam-role' END)))
    OR (r.ref_kind = 'access-key' AND ib.id = r.ref)
),
declared_reg AS (
  SELECT id, agent_id FROM registered
  UNION SELECT k.id, r.agent_id FROM ib k JOIN registered r ON k.kind = 'access-key' AND k.parent_id = r.id
  UNION SELECT ib.id, r.agent_id FROM registered r JOIN ib k ON k.id = r.id AND k.kind = 'access-key' JOIN ib ON ib.id = k.parent_id
),
tag_values AS (
  SELECT id, k, json_extract_string(tags, '$."' || k || '"') AS v FROM (SELECT id, tags, unnest(json_keys(tags)) AS k FROM ib WHERE tags IS NOT NULL)
),
tagged AS (
  SELECT t.id, string_agg(t.k || '=' || t.v, ', ' ORDER BY t.k) AS detail
  FROM tag_values t JOIN agent_declarations d ON lower(t.k) = d.tag_key
  WHERE coalesce(t.v, '') <> '' AND lower(t.v) NOT IN ('false', 'no', '0', 'none', 'n/a')
    AND (d.value_pattern IS NULL OR regexp_full_match(lower(t.v), d.value_pattern))
  GROUP BY t.id
),
declared_tag AS (
  SELECT id, detail FROM tagged
  UNION SELECT k.id, t.detail FROM ib k JOIN tagged t ON k.kind = 'access-key' AND k.parent_id = t.id
)
SELECT id, 'registry' AS source, 'agent registry entry ' || string_agg(agent_id, ', ' ORDER BY agent_id) AS detail FROM declared_reg GROUP BY id
UNION ALL
SELECT id, 'tags', detail FROM declared_tag
