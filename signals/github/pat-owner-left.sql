/*---
id: github/pat-owner-left
signal: owner left the org
class: unknown
weight: 0
reads: [github_pat_facts]
meaning: >-
  The token's owner is no longer an org member (only when members.json was read; weight 0).
---*/
SELECT identity_id AS id, owner_login || ' owns this token and is no longer an org member' AS detail FROM github_pat_facts WHERE owner_left
