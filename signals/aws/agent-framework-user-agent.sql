/*---
id: aws/agent-framework-user-agent
signal: AI-agent framework in user agent
class: agent
weight: 50
reads: [activity_v, identities_base]
meaning: >-
  Its calls carry an AI-agent framework token or an agentic-caller code in the user agent (reference/ua-signatures.csv).
absent: no AI-agent framework in its user agents
---*/
SELECT ib.id, array_to_string(act.agent_tokens, ', ') AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE len(act.agent_tokens) > 0
