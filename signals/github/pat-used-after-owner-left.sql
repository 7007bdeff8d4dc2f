/*---
id: github/pat-used-after-owner-left
signal: used after its owner left
class: workload
weight: 25
reads: [github_pat_facts]
meaning: >-
  Used in the last 30 days although its owner is no longer an org member: something unattended (or someone else) still runs it.
---*/
SELECT identity_id AS id,
  'last used ' || idle_days || ' day(s) ago although ' || owner_login || ' is no longer an org member: something unattended (or someone else) still runs it' AS detail
FROM github_pat_facts WHERE owner_left AND idle_days <= 30
