/*---
id: github/workflow-triggers
signal: triggers
class: workload
weight: 0
reads: [github_agent_workflows]
meaning: >-
  What starts the workflow (weight 0).
---*/
SELECT workflow_id AS id, array_to_string(triggers, ', ') AS detail FROM github_agent_workflows
