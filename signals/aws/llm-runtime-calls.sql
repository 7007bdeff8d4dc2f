/*---
id: aws/llm-runtime-calls
signal: LLM runtime calls
class: agent
weight: 45
reads: [activity_v, identities_base, llm_jacking_sequences]
meaning: >-
  The identity called Bedrock or AgentCore runtime APIs (model invocations, agent runs; reference/agent-events.csv) in the window (not when its first model call followed enabling model access itself: llm_jacking_sequences).
absent: no LLM runtime calls
---*/
SELECT ib.id, act.llm_calls || ' Bedrock/AgentCore runtime call(s)' AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE act.llm_calls > 0 AND coalesce(ib.parent_id, ib.id) NOT IN (SELECT id FROM llm_jacking_sequences)
