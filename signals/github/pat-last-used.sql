/*---
id: github/pat-last-used
signal: last used
class: unknown
weight: 0
reads: [github_pat_facts]
meaning: >-
  When the token was last used (weight 0).
---*/
SELECT identity_id AS id, CASE WHEN token_last_used_at IS NULL THEN 'never used' ELSE idle_days || ' day(s) ago' END AS detail FROM github_pat_facts
