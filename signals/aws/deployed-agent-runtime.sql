/*---
id: aws/deployed-agent-runtime
signal: deployed an agent runtime
class: workload
weight: 0
reads: [activity_v, identities_base]
meaning: >-
  It created or changed an agent (AgentCore runtime, Bedrock agent) or ran the AgentCore starter toolkit: evidence about the agent, not that this identity is one (weight 0: explains, never classifies).
not_agent: { text: "it deployed an agent, which makes it the agent's creator, not the agent" }
---*/
SELECT ib.id,
  array_to_string(list_concat(list_filter(['AgentCore starter toolkit'], x -> list_contains(act.ua_families, 'agentcore-toolkit')), act.agent_deploys), ', ') AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE len(act.agent_deploys) > 0 OR list_contains(act.ua_families, 'agentcore-toolkit')
