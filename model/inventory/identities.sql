/*---
name: identities
kind: table
reads: [identities_found, registry_owners]
params: []
summary: >-
  The inventory: every identity (AWS and GitHub) with classification, confidence, evidence, owner, creator and
  last use. Owners declared in the registry win over tags and creators (owner_source = 'registry'). The one
  writer of this table.
---*/
CREATE OR REPLACE TABLE identities AS
SELECT i.* REPLACE (
    coalesce(r.owner, i.owner) AS owner,
    CASE WHEN r.owner IS NOT NULL THEN 'registry' ELSE i.owner_source END AS owner_source,
    CASE WHEN r.owner IS NOT NULL THEN NULL ELSE i.owner_tag_key END AS owner_tag_key)
FROM identities_found i
LEFT JOIN registry_owners r ON r.identity_id = i.id
ORDER BY i.provider, i.account, i.kind, i.name, i.id
