/*---
name: identities_aws
kind: table
reads: [activity, creators, credentials, iam_credential_report, identities_base, identity_signals, owner_tag_keys]
params: []
summary: >-
  AWS rows of the inventory: every AWS identity with its classification, confidence and evidence, owner (tag, else creator), creator and last use.
---*/
CREATE OR REPLACE TABLE identities_aws AS
WITH sig AS (
  SELECT id,
    coalesce(sum(weight) FILTER (WHERE class = 'human'), 0) AS h,
    coalesce(sum(weight) FILTER (WHERE class = 'agent'), 0) AS a,
    coalesce(sum(weight) FILTER (WHERE class = 'workload'), 0) AS w,
    coalesce(max(weight) FILTER (WHERE class = 'aws-service'), 0) AS svc,
    coalesce(max(weight) FILTER (WHERE class = 'human'), 0) AS hmax,
    coalesce(max(weight) FILTER (WHERE class = 'agent'), 0) AS amax,
    coalesce(bool_or(signal IN ('console password with MFA', 'console password')), false) AS password,
    list({'signal': signal, 'class': class, 'detail': detail, 'weight': weight} ORDER BY weight DESC, signal) AS evidence
  FROM identity_signals GROUP BY id
),
own AS (
  SELECT t.id, arg_min(t.k, o.pos) AS tag_key, arg_min(json_extract_string(t.tags, '$."' || t.k || '"'), o.pos) AS owner_value
  FROM (SELECT id, tags, unnest(json_keys(tags)) AS k FROM identities_base WHERE tags IS NOT NULL) t
  JOIN owner_tag_keys o ON lower(t.k) = o.key
  WHERE coalesce(json_extract_string(t.tags, '$."' || t.k || '"'), '') <> ''
  GROUP BY t.id
),
c1 AS (
  SELECT ib.*, coalesce(sig.h, 0) AS h, coalesce(sig.a, 0) AS a, coalesce(sig.w, 0) AS w, sig.evidence,
    CASE WHEN sig.svc >= 100 THEN 'aws-service'
         -- declared by its owner (registry entry, agent tags): an agent whatever its traffic looks like
         WHEN sig.amax >= 100 THEN 'agent'
         WHEN sig.hmax >= 100 THEN 'human'
         -- a console sign-in makes a user human unless automation outweighs it and no password is set
         -- (someone signing in to a service user is human use of an NHI, not a person's user)
         WHEN ib.kind = 'iam-user' AND sig.h >= 30 AND (sig.h >= sig.w OR sig.password) THEN 'human'
         WHEN sig.a >= 40 THEN 'agent'
         WHEN sig.w + sig.a >= 20 AND sig.w + sig.a > sig.h THEN 'workload'
         WHEN sig.h > 0 THEN 'human'
         ELSE 'unknown' END AS cls
  FROM identities_base ib LEFT JOIN sig USING (id)
),
c2 AS (
  SELECT c1.*,
    CASE WHEN c1.cls = 'unknown' AND c1.kind = 'access-key' AND p.cls IS NOT NULL THEN p.cls ELSE c1.cls END AS classification,
    (c1.cls = 'unknown' AND c1.kind = 'access-key' AND p.cls IS NOT NULL AND p.cls <> 'unknown') AS inherited,
    p.name AS parent_name
  FROM c1 LEFT JOIN c1 p ON p.id = c1.parent_id
)
SELECT c2.id, c2.provider, c2.account, c2.kind, c2.name, c2.arn, c2.path, c2.created_at, c2.tags, c2.trust_policy,
  c2.parent_id, c2.in_iam, c2.classification,
  CASE WHEN c2.inherited THEN 'low'
       WHEN c2.classification IN ('aws-service') THEN 'high'
       WHEN c2.classification = 'human' THEN CASE WHEN c2.h >= 60 THEN 'high' WHEN c2.h >= 30 THEN 'medium' ELSE 'low' END
       WHEN c2.classification = 'agent' THEN CASE WHEN c2.a >= 80 THEN 'high' WHEN c2.a >= 45 THEN 'medium' ELSE 'low' END
       WHEN c2.classification = 'workload' THEN CASE WHEN c2.w >= 50 THEN 'high' WHEN c2.w >= 25 THEN 'medium' ELSE 'low' END
       ELSE 'low' END AS confidence,
  CASE WHEN c2.inherited THEN [{'signal': 'no activity of its own', 'class': c2.classification, 'detail': 'classified like its user ' || c2.parent_name, 'weight': 0}]
       ELSE coalesce(c2.evidence, []) END AS evidence,
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
LEFT JOIN iam_credential_report rep ON c2.kind = 'iam-user' AND rep.arn = c2.arn
LEFT JOIN credentials cred ON c2.kind = 'access-key' AND cred.access_key_id = c2.id
ORDER BY c2.account, c2.kind, c2.name
