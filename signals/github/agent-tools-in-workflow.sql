/*---
id: github/agent-tools-in-workflow
signal: AI agent tools in workflow
class: agent
weight: 50
reads: [github_agent_workflows]
meaning: >-
  The workflow installs or invokes an AI agent, framework or agent CLI (src/github-workflow/agent-tools.ts).
---*/
SELECT workflow_id AS id, array_to_string(tools, ', ') AS detail FROM github_agent_workflows WHERE len(tools) > 0
