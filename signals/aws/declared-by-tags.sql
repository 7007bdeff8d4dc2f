/*---
id: aws/declared-by-tags
signal: declared an agent by its tags
class: agent
weight: 100
reads: [declared_agents]
meaning: >-
  Its tags (or its user's) declare an agent (reference/agent-declarations.csv: agent-id, agent-tier, ai-agent, purpose=ai-agent).
---*/
SELECT id, detail FROM declared_agents WHERE source = 'tags'
