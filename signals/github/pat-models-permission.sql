/*---
id: github/pat-models-permission
signal: GitHub Models permission
class: agent
weight: 40
reads: [github_pat_facts]
meaning: >-
  The token may call LLMs through GitHub Models.
absent: no GitHub Models permission
---*/
SELECT identity_id AS id, 'may call LLMs through GitHub Models' AS detail FROM github_pat_facts WHERE list_contains(all_perms, 'models')
