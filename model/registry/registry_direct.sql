/*---
name: registry_direct
kind: table
reads: [identities_found, registry_identities]
params: []
summary: >-
  Registry line to identity: ARNs match exactly or by account + type + name (a registry may omit the path), assumed-role ARNs match their role, key ids the key, github:org/repo the GitHub identities of that repository, github://… ids exactly.
---*/
CREATE OR REPLACE TABLE registry_direct AS
WITH r AS (
  SELECT agent_id, ref, ref_kind,
    regexp_extract(ref, '^arn:aws[a-z-]*:(iam|sts)::(\d{12}):', 2) AS ref_account,
    CASE WHEN regexp_matches(ref, ':(assumed-)?role/') THEN 'iam-role' WHEN regexp_matches(ref, ':user/') THEN 'iam-user' END AS ref_type,
    CASE WHEN regexp_matches(ref, ':assumed-role/') THEN regexp_extract(ref, ':assumed-role/([^/]+)', 1)
         ELSE regexp_extract(ref, ':(?:user|role)/(?:.*/)?([^/]+)$', 1) END AS ref_name
  FROM registry_identities
)
SELECT DISTINCT r.agent_id, r.ref, r.ref_kind, i.id AS identity_id
FROM r JOIN identities_found i ON
  (r.ref_kind = 'aws-arn' AND i.kind <> 'access-key' AND (i.id = r.ref OR i.arn = r.ref
     OR (i.kind = r.ref_type AND i.account = r.ref_account AND i.name = r.ref_name)))
  OR (r.ref_kind = 'access-key' AND i.kind = 'access-key' AND i.id = r.ref)
  -- GitHub identities are github://org/repo/… (secrets, deploy keys, agent workflows of that repository)
  OR (r.ref_kind = 'github-repo' AND i.provider = 'github'
     AND starts_with(lower(i.id), 'github://' || lower(substr(r.ref, 8)) || '/'))
  OR (r.ref_kind = 'github-id' AND i.provider = 'github' AND i.id = r.ref)
