/*---
id: github/deploy-key-owner-left
signal: owner left the org
class: workload
weight: 0
reads: [github_deploy_keys, github_members]
meaning: >-
  The person who added the deploy key is no longer an org member (only when members.json was read; weight 0).
---*/
WITH members AS (SELECT org, lower(login) AS login FROM github_members), member_orgs AS (SELECT DISTINCT org FROM github_members)
SELECT 'github://' || k.org || '/' || k.repo || '/deploy-keys/' || k.id AS id, k.added_by || ' added this key and is no longer an org member' AS detail
FROM github_deploy_keys k
WHERE k.added_by IS NOT NULL AND k.org IN (SELECT org FROM member_orgs) AND lower(k.added_by) NOT IN (SELECT login FROM members m WHERE m.org = k.org)
