/*---
name: agent_events
kind: reference
params: [reference_dir]
summary: >-
  CloudTrail event names that are LLM runtime calls (llm-runtime), AgentCore data-plane calls an agent makes while it runs (agentcore-runtime), and control-plane calls that create or change an agent (agent-deploy: what a developer or deploy tool does, not the agent itself).
---*/
CREATE OR REPLACE TABLE agent_events AS
SELECT kind, event_name
FROM read_csv(getvariable('reference_dir') || '/agent-events.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
