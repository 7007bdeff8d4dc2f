/*---
id: github/unlisted-secret
signal: not in the exported secret lists
class: workload
weight: 0
reads: [github_unlisted_key_secrets]
meaning: >-
  A secret known only from workflow references (the secrets files were not exported or not readable): its dates and scope are unknown (weight 0).
---*/
SELECT secret_id AS id, 'known only from workflow references; its dates and scope are unknown' AS detail FROM github_unlisted_key_secrets
