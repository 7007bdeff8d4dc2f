/*---
id: github/ai-app
signal: AI app
class: agent
weight: 45
reads: [github_app_installations]
meaning: >-
  The App's slug names an AI agent or AI review app (name_patterns ai-app).
absent: not an AI app
---*/
SELECT 'github://' || org || '/installations/' || id AS id, 'app ' || app_slug || ' is an AI agent or AI review app' AS detail
FROM github_app_installations WHERE ai_app
