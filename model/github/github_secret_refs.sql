/*---
name: github_secret_refs
kind: table
reads: [github_secret_access, github_workflow_facts]
params: []
summary: >-
  Workflow references resolved to the secrets they can mean (names are case-insensitive; a reference counts for every same-named secret the repository can read, so nothing is called unused that an environment or repository override might still read).
---*/
CREATE OR REPLACE TABLE github_secret_refs AS
SELECT a.secret_id, f.org, f.repo, f.path, f.line, f.value AS place, f.context
FROM github_workflow_facts f JOIN github_secret_access a ON a.org = f.org AND a.repo = f.repo AND a.name = upper(f.name)
WHERE f.fact = 'secret-ref'
