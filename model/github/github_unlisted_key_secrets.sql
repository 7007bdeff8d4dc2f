/*---
name: github_unlisted_key_secrets
kind: table
reads: [github_secret_access, github_workflow_facts]
params: []
summary: >-
  Secrets that workflows hand to AWS as a long-lived key (configure-aws-credentials, any action's key input, a step's key env) but that no exported secret list holds (the secrets files were not exported or not readable): one row per repository and name, id github://<org>/<repo>/secrets/<NAME>, with the workflows that use it. They are inventory rows and cross/static-key-in-ci subjects, so every finding names an identity the inventory lists.
---*/
CREATE OR REPLACE TABLE github_unlisted_key_secrets AS
SELECT f.org, f.repo, upper(f.name) AS name,
  'github://' || f.org || '/' || f.repo || '/secrets/' || upper(f.name) AS secret_id,
  list(DISTINCT f.path ORDER BY f.path) AS workflows, count(*) AS uses
FROM github_workflow_facts f
WHERE f.fact = 'aws-static-keys' AND f.name <> ''
  AND NOT EXISTS (SELECT 1 FROM github_secret_access a WHERE a.org = f.org AND a.repo = f.repo AND a.name = upper(f.name))
GROUP BY f.org, f.repo, upper(f.name)
