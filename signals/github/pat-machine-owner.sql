/*---
id: github/pat-machine-owner
signal: machine account
class: workload
weight: 40
reads: [github_pat_facts]
meaning: >-
  The token's owner is a bot or service account (type Bot, or a login like ci-bot, svc-…).
---*/
SELECT identity_id AS id, 'owner ' || owner_login || ' is a bot or service account' AS detail FROM github_pat_facts WHERE machine_owner
