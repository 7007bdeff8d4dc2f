/*---
name: github_secret_access
kind: table
reads: [github_repos, github_secret_ids]
params: []
summary: >-
  Which repositories can read each secret: org secrets by visibility (all, private, selected), repository and environment secrets their repository.
---*/
CREATE OR REPLACE TABLE github_secret_access AS
SELECT s.secret_id, s.org, r.repo, s.scope, upper(s.name) AS name, r.archived
FROM github_secret_ids s JOIN github_repos r ON r.org = s.org
WHERE (s.scope <> 'org' AND r.repo = s.repo)
   OR (s.scope = 'org' AND (s.visibility = 'all'
       OR (s.visibility = 'private' AND coalesce(r.visibility, CASE WHEN r.private THEN 'private' ELSE 'public' END) <> 'public')
       OR (s.visibility = 'selected' AND list_contains(s.selected_repos, r.repo))))
