/*---
id: github/scheduled-workflow
signal: runs on a schedule
class: agent
weight: 20
reads: [github_agent_workflows]
meaning: >-
  The agent workflow runs on a cron schedule: unattended.
---*/
SELECT workflow_id AS id, 'cron ' || array_to_string(schedules, '; ') AS detail FROM github_agent_workflows WHERE scheduled
