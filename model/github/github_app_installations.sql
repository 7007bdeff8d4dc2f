/*---
name: github_app_installations
kind: view
reads: [github_installations, name_patterns]
params: []
summary: >-
  GitHub App installations, with ai_app: the App's slug names an AI agent or AI review app (name_patterns kind ai-app).
---*/
CREATE OR REPLACE VIEW github_app_installations AS
SELECT i.*, EXISTS (SELECT 1 FROM name_patterns n WHERE n.kind = 'ai-app' AND regexp_matches(coalesce(i.app_slug, ''), n.pattern, 'i')) AS ai_app
FROM github_installations i
