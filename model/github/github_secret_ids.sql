/*---
name: github_secret_ids
kind: table
reads: [github_secrets]
params: []
summary: >-
  GitHub Actions secrets (org, repository, environment) with their identity id (github://…).
---*/
CREATE OR REPLACE TABLE github_secret_ids AS
SELECT s.*, CASE s.scope
    WHEN 'org' THEN 'github://' || s.org || '/secrets/' || s.name
    WHEN 'repo' THEN 'github://' || s.org || '/' || s.repo || '/secrets/' || s.name
    ELSE 'github://' || s.org || '/' || s.repo || '/environments/' || s.environment || '/secrets/' || s.name END AS secret_id
FROM github_secrets s
