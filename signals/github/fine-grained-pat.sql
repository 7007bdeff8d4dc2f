/*---
id: github/fine-grained-pat
signal: fine-grained personal access token
class: unknown
weight: 0
reads: [github_pat_facts]
meaning: >-
  Whose account the token acts as, on which repositories, and what it can write (weight 0: explains, never classifies).
---*/
SELECT identity_id AS id,
  'acts as ' || coalesce(owner_login, '?') || ' on ' || repository_selection || ' repositories'
    || CASE WHEN len(list_concat(repo_writes, org_writes)) > 0 THEN ', can write ' || array_to_string(list_concat(repo_writes, org_writes), ', ') ELSE ', read-only' END AS detail
FROM github_pat_facts
