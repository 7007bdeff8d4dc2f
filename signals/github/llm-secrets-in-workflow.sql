/*---
id: github/llm-secrets-in-workflow
signal: LLM provider secrets in workflow
class: agent
weight: 30
reads: [github_agent_workflows]
meaning: >-
  The workflow passes model provider keys.
---*/
SELECT workflow_id AS id, array_to_string(llm_secrets, ', ') AS detail FROM github_agent_workflows WHERE len(llm_secrets) > 0
