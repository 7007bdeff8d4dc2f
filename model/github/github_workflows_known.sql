/*---
name: github_workflows_known
kind: view
reads: [github_coverage, github_repos, github_workflows]
params: []
summary: >-
  Repositories whose workflows were read (a coverage gap on workflows excludes a repository).
---*/
CREATE OR REPLACE VIEW github_workflows_known AS
SELECT r.org, r.repo FROM github_repos r
WHERE r.org IN (SELECT org FROM github_workflows)
  AND NOT EXISTS (SELECT 1 FROM github_coverage c WHERE c.org = r.org AND (c.repo = r.repo OR c.repo IS NULL) AND c.endpoint LIKE '%workflows%')
