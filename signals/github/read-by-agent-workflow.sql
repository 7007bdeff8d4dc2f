/*---
id: github/read-by-agent-workflow
signal: read by an agent workflow
class: agent
weight: 40
reads: [github_agent_workflows, github_secret_refs]
meaning: >-
  A workflow that runs an AI agent references the secret.
absent: no AI agent tools or LLM provider secrets in the workflows that use it
---*/
SELECT DISTINCT r.secret_id AS id, 'referenced by a workflow that runs an AI agent' AS detail
FROM github_secret_refs r JOIN github_agent_workflows w USING (org, repo, path)
