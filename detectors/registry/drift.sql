/*---
id: registry/drift
title: Registry entry that matches nothing running
category: stale
severity: low
confidence: medium
requires: [registry_agents, registry_identities, registry_matches, identities, registry_direct]
summary: A registry entry names identities the scan did not find, or found but never saw act in the window - a registered agent that no longer exists or never ran.
rationale: >-
  The registry is only useful while it matches reality. Entries for agents that are gone hide the ones that are
  not, keep owners "responsible" for nothing, and let a re-created identity with the same name inherit an old
  approval. The vocabulary has no "drift" category; "stale" is the closest: the entry, not an identity, went stale.
false_positives:
  - The identity lives in an account or GitHub org this scan did not cover; such identities are listed under not_scanned and never counted.
  - Agents that run rarely (quarterly jobs) may be idle for the whole window.
remediation:
  summary: Fix the entry (a typo in the ARN, a renamed role) or remove it if the agent is gone.
  steps:
    - Compare evidence.unmatched with the inventory (`shadowscan explain <registry id>`); correct renamed identities.
    - If the agent was retired, delete the entry and any identities left behind.
references:
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI1:2025"], mitre_attack: [] }
---*/
WITH refs AS (
  SELECT ri.agent_id, ri.ref, EXISTS (SELECT 1 FROM registry_direct d WHERE d.agent_id = ri.agent_id AND d.ref = ri.ref) AS matched,
    -- only refs in a scanned account / GitHub org can be judged
    CASE ri.ref_kind
      WHEN 'github-repo' THEN EXISTS (SELECT 1 FROM identities i WHERE i.provider = 'github')
      WHEN 'github-id' THEN EXISTS (SELECT 1 FROM identities i WHERE i.provider = 'github')
      WHEN 'aws-arn' THEN regexp_extract(ri.ref, '^arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):', 1) IN (SELECT account FROM identities WHERE provider = 'aws')
      ELSE EXISTS (SELECT 1 FROM identities i WHERE i.provider = 'aws') END AS in_scope
  FROM registry_identities ri
),
per AS (
  SELECT agent_id, count(*) FILTER (WHERE in_scope) AS listed, count(*) FILTER (WHERE matched) AS found,
    list(ref ORDER BY ref) FILTER (WHERE NOT matched AND in_scope) AS unmatched,
    list(ref ORDER BY ref) FILTER (WHERE NOT matched AND NOT in_scope) AS not_scanned
  FROM refs GROUP BY agent_id
),
used AS (
  SELECT m.agent_id, max(i.last_used_at) AS last_used, min(i.account) AS account, min(i.arn) FILTER (WHERE i.kind <> 'access-key') AS arn
  FROM registry_matches m JOIN identities i ON i.id = m.identity_id GROUP BY m.agent_id
)
SELECT
  'registry-entry' AS subject_type,
  r.agent_id AS subject_id,
  u.account AS account_id,
  u.arn AS principal_arn,
  NULL::TIMESTAMP AS first_seen,
  u.last_used AS last_seen,
  CASE WHEN p.found = 0 THEN 'medium' ELSE 'low' END AS severity,
  CASE WHEN p.found = 0 THEN format('agent {} (owner {}) matches nothing: {} in the scanned accounts', r.agent_id, r.owner,
         CASE WHEN p.listed = 1 THEN 'its identity ' || p.unmatched[1] || ' does not exist' ELSE 'none of its ' || p.listed || ' identities exist' END)
       WHEN p.found < p.listed THEN format('agent {}: {} of its {} identities match nothing ({})', r.agent_id, p.listed - p.found, p.listed, array_to_string(p.unmatched, ', '))
       ELSE format('agent {} exists but was not used in the window (last used {})', r.agent_id, coalesce(strftime(u.last_used, '%Y-%m-%d'), 'never')) END AS reason,
  {
    'registry_id': r.agent_id,
    'registry_file': r.source_file,
    'registry_line': r.line,
    'location': {'path': r.source_file, 'line': r.line},
    'owner': r.owner,
    'listed': p.listed,
    'found': p.found,
    'unmatched': coalesce(p.unmatched, []),
    'not_scanned': coalesce(p.not_scanned, []),
    'last_used': u.last_used,
    'commands': ['shadowscan explain ' || r.agent_id]
  } AS evidence
FROM registry_agents r
JOIN per p USING (agent_id)
LEFT JOIN used u USING (agent_id)
WHERE p.listed > 0 AND (p.found < p.listed OR u.last_used IS NULL OR u.last_used < $window_start)
ORDER BY subject_id
