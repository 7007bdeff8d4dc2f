/*---
name: identities_github
kind: table
reads: [classifications, github_identities_base]
params: []
summary: >-
  GitHub rows of the inventory: Actions secrets, deploy keys, App installations, fine-grained PAT grants and agent
  workflows (github_identities_base) with their classification, confidence and evidence (classifications). The
  owner is who GitHub says added or owns it (PAT owner, deploy key added_by).
---*/
CREATE OR REPLACE TABLE identities_github AS
SELECT g.id, g.provider, g.account, g.kind, g.name, NULL::VARCHAR AS arn, NULL::VARCHAR AS path, g.created_at, NULL::JSON AS tags,
  NULL::JSON AS trust_policy, NULL::VARCHAR AS parent_id, false AS in_iam, c.classification, c.confidence, c.evidence,
  NULL::VARCHAR AS owner_tag_value, NULL::VARCHAR AS owner_tag_key, g.creator, NULL::VARCHAR AS creator_arn,
  g.creator AS owner, CASE WHEN g.creator IS NOT NULL THEN 'creator' ELSE 'none' END AS owner_source, g.last_used_at
FROM github_identities_base g JOIN classifications c USING (id)
