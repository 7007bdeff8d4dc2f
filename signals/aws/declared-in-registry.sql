/*---
id: aws/declared-in-registry
signal: declared an agent in the registry
class: agent
weight: 100
reads: [declared_agents]
meaning: >-
  An agent registry entry lists the identity, its user or a key of it: its owner says it is an agent, whatever its traffic looks like.
---*/
SELECT id, detail FROM declared_agents WHERE source = 'registry'
