/*---
name: github_secret_ids
kind: table
reads: [github_secrets, name_patterns]
params: []
summary: >-
  GitHub Actions secrets (org, repository, environment) with their identity id (github://…) and what their name says they hold (credential_type: aws-static-key, llm-provider or NULL; name_patterns).
---*/
CREATE OR REPLACE TABLE github_secret_ids AS
SELECT s.*, CASE s.scope
    WHEN 'org' THEN 'github://' || s.org || '/secrets/' || s.name
    WHEN 'repo' THEN 'github://' || s.org || '/' || s.repo || '/secrets/' || s.name
    ELSE 'github://' || s.org || '/' || s.repo || '/environments/' || s.environment || '/secrets/' || s.name END AS secret_id,
  (SELECT arg_min(n.kind, n.ord) FROM name_patterns n WHERE n.kind IN ('aws-static-key', 'llm-provider') AND regexp_matches(s.name, n.pattern, 'i')) AS credential_type
FROM github_secrets s
