/*---
id: github/pat-agent-name
signal: name suggests an agent
class: agent
weight: 25
reads: [github_pat_facts]
meaning: >-
  The token's name has an agent word (reference/name-words.csv pat-agent).
absent: no agent name
---*/
SELECT identity_id AS id, 'token name ' || token_name || ' (' || agent_word || ')' AS detail FROM github_pat_facts WHERE agent_word IS NOT NULL
