/*---
id: github/pat-automation-name
signal: name suggests automation
class: workload
weight: 20
reads: [github_pat_facts]
meaning: >-
  The token's name has an automation word (reference/name-words.csv pat-automation).
---*/
SELECT identity_id AS id, 'token name ' || token_name || ' (' || auto_word || ')' AS detail FROM github_pat_facts WHERE auto_word IS NOT NULL
