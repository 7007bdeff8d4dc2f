/*---
id: github/referenced-by-workflows
signal: referenced by workflows
class: workload
weight: 0
reads: [github_secret_refs]
meaning: >-
  Where workflows reference the secret (weight 0: explains, never classifies).
---*/
SELECT secret_id AS id, count(*) || ' reference(s) in ' || array_to_string(list(DISTINCT repo ORDER BY repo), ', ') AS detail
FROM github_secret_refs GROUP BY secret_id
