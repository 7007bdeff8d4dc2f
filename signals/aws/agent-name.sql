/*---
id: aws/agent-name
signal: name suggests an agent
class: agent
weight: 10
reads: [identities_base, name_words]
meaning: >-
  The user or role name has an agent word (reference/name-words.csv aws-agent-name: agent, bot, gpt, llm, ai, copilot, assistant, claude): the weakest hint, never enough alone.
---*/
SELECT ib.id, ib.name AS detail
FROM identities_base ib JOIN name_words w ON w.list = 'aws-agent-name'
WHERE ib.kind <> 'access-key' AND regexp_matches(lower(ib.name), w.pattern)
