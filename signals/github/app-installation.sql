/*---
id: github/app-installation
signal: GitHub App installation
class: workload
weight: 40
reads: [github_app_installations]
meaning: >-
  A GitHub App installed on the org: software acting with its own permissions.
---*/
SELECT 'github://' || org || '/installations/' || id AS id, 'installed on ' || repository_selection || ' repositories' AS detail FROM github_app_installations
