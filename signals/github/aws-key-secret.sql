/*---
id: github/aws-key-secret
signal: AWS static key in CI
class: workload
weight: 20
reads: [github_secret_ids, github_unlisted_key_secrets]
meaning: >-
  The secret's name says it holds a long-lived AWS access key (name_patterns aws-static-key), or workflows hand it to AWS as one (github_unlisted_key_secrets).
---*/
SELECT secret_id AS id, 'name ' || name || ' holds a long-lived AWS key' AS detail FROM github_secret_ids WHERE credential_type = 'aws-static-key'
UNION ALL
SELECT secret_id, 'workflows hand ' || name || ' to AWS as a long-lived key: ' || array_to_string(workflows, ', ') FROM github_unlisted_key_secrets
