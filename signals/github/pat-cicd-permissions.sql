/*---
id: github/pat-cicd-permissions
signal: CI/CD permissions
class: workload
weight: 15
reads: [github_pat_facts]
meaning: >-
  The token can write actions, workflows, secrets, environments, deployments, administration, pages or self-hosted runners.
---*/
SELECT identity_id AS id, 'write on ' || array_to_string(automation_writes, ', ') AS detail FROM github_pat_facts WHERE len(automation_writes) > 0
