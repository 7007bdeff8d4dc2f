/*---
name: github_repo_roles
kind: table
reads: [github_oidc_trusts, github_repos]
params: []
summary: >-
  The AWS roles each GitHub repository can assume through OIDC trust.
---*/
CREATE OR REPLACE TABLE github_repo_roles AS
SELECT r.org, r.repo, t.role_arn, t.account_id, t.sub_pattern, t.repo_glob
FROM github_oidc_trusts t JOIN github_repos r ON lower(r.org || '/' || r.repo) GLOB lower(t.repo_glob)
