/*---
id: github/deploy-key
signal: deploy key
class: workload
weight: 30
reads: [github_deploy_keys]
meaning: >-
  An SSH key for one repository: a machine credential.
---*/
SELECT 'github://' || org || '/' || repo || '/deploy-keys/' || id AS id,
  'SSH key for one repository, ' || CASE WHEN read_only THEN 'read-only' ELSE 'read-write' END AS detail
FROM github_deploy_keys
