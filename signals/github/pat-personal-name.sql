/*---
id: github/pat-personal-name
signal: name suggests personal use
class: human
weight: 20
reads: [github_pat_facts]
meaning: >-
  The token's name has a personal-use word (reference/name-words.csv pat-personal: laptop, cli, vscode, …).
---*/
SELECT identity_id AS id, 'token name ' || token_name || ' (' || human_word || ')' AS detail FROM github_pat_facts WHERE human_word IS NOT NULL
