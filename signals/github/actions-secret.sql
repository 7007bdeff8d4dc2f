/*---
id: github/actions-secret
signal: GitHub Actions secret
class: workload
weight: 20
reads: [github_secret_ids]
meaning: >-
  An Actions secret (org, repository or environment): a credential handed to workflows.
---*/
SELECT secret_id AS id, scope || ' secret' || coalesce(', visibility ' || visibility, '') AS detail FROM github_secret_ids
