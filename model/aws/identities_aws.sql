/*---
name: identities_aws
kind: table
reads: [activity, classifications, creators, credentials, iam_credential_report, identities_base, owner_tag_keys]
params: []
summary: >-
  AWS rows of the inventory: every AWS identity with its classification, confidence and evidence (classifications), owner (tag, else creator), creator and last use.
---*/
CREATE OR REPLACE TABLE identities_aws AS
WITH own AS (
  SELECT t.id, arg_min(t.k, o.pos) AS tag_key, arg_min(json_extract_string(t.tags, '$."' || t.k || '"'), o.pos) AS owner_value
  FROM (SELECT id, tags, unnest(json_keys(tags)) AS k FROM identities_base WHERE tags IS NOT NULL) t
  JOIN owner_tag_keys o ON lower(t.k) = o.key
  WHERE coalesce(json_extract_string(t.tags, '$."' || t.k || '"'), '') <> ''
  GROUP BY t.id
),
c2 AS (SELECT ib.*, c.classification, c.confidence, c.evidence FROM identities_base ib JOIN classifications c USING (id))
SELECT c2.id, c2.provider, c2.account, c2.kind, c2.name, c2.arn, c2.path, c2.created_at, c2.tags, c2.trust_policy,
  c2.parent_id, c2.in_iam, c2.classification, c2.confidence, c2.evidence,
  coalesce(o.owner_value, po.owner_value) AS owner_tag_value,
  coalesce(o.tag_key, po.tag_key) AS owner_tag_key,
  coalesce(cr.creator, pcr.creator) AS creator,
  coalesce(cr.creator_arn, pcr.creator_arn) AS creator_arn,
  CASE WHEN coalesce(o.owner_value, po.owner_value) IS NOT NULL THEN coalesce(o.owner_value, po.owner_value)
       ELSE coalesce(cr.creator, pcr.creator) END AS owner,
  CASE WHEN coalesce(o.owner_value, po.owner_value) IS NOT NULL THEN 'tag'
       WHEN coalesce(cr.creator, pcr.creator) IS NOT NULL THEN 'creator' ELSE 'none' END AS owner_source,
  CASE WHEN c2.kind = 'access-key' THEN cred.last_used_at
       ELSE nullif(greatest(coalesce(act.last_seen, TIMESTAMP '1970-01-01'), coalesce(c2.role_last_used_at, TIMESTAMP '1970-01-01'),
         coalesce(rep.password_last_used, TIMESTAMP '1970-01-01'), coalesce(rep.key1_last_used, TIMESTAMP '1970-01-01'),
         coalesce(rep.key2_last_used, TIMESTAMP '1970-01-01')), TIMESTAMP '1970-01-01') END AS last_used_at
FROM c2
LEFT JOIN own o ON o.id = c2.id
LEFT JOIN own po ON po.id = c2.parent_id
LEFT JOIN creators cr ON cr.account_id = c2.account AND cr.target = CASE c2.kind WHEN 'iam-user' THEN 'user:' || c2.name
     WHEN 'iam-role' THEN 'role:' || c2.name WHEN 'access-key' THEN 'key:' || c2.id END
LEFT JOIN creators pcr ON c2.kind = 'access-key' AND cr.creator IS NULL AND pcr.account_id = c2.account
     AND pcr.target = 'user:' || regexp_extract(c2.parent_id, '/([^/]+)$', 1)
LEFT JOIN activity act ON act.subject_type = 'principal' AND act.subject_id = c2.id
LEFT JOIN iam_credential_report rep ON c2.kind IN ('iam-user', 'root') AND rep.arn = c2.arn
LEFT JOIN credentials cred ON c2.kind = 'access-key' AND cred.access_key_id = c2.id
ORDER BY c2.account, c2.kind, c2.name
