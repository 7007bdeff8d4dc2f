/*---
id: registry/unregistered
title: Agent or workload running without a registry entry
category: unregistered
severity: medium
confidence: medium
requires: [identities, registry_state, registry_matches, identity_tiers, activity_v, credentials]
summary: A non-human identity (agent or workload) was active in the window and no entry of the agent registry names it.
rationale: >-
  The registry is where every agent gets a purpose, a named owner and a risk tier, and is recertified. An agent
  that is not in it has none of these: nobody reviews what it can do, nobody is asked when it misbehaves, and it
  is not deprovisioned when its project ends. People who build "just a script" rarely know it counts as an agent.
false_positives:
  - Workloads your policy does not require to be registered (plain CI deploys); accept them with an exception, or register them.
  - An identity registered under a different ARN form; list it exactly as the inventory shows it.
remediation:
  summary: Register it — the finding carries a ready-to-paste registry entry (evidence.registry_yaml) — or remove it.
  steps:
    - Paste evidence.registry_yaml (or the output of `shadowscan registry suggest`) under agents in your registry file.
    - Replace the placeholders - a person's email as owner, one sentence of purpose - and review the suggested tier.
    - If its grants allow more than its registered tier, scope them down to what it used (see aws/overbroad).
    - If nobody claims it, deactivate its credentials and schedule deletion.
references:
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI1:2025", "NHI10:2025"], mitre_attack: ["T1078.004"] }
---*/
WITH keys AS (
  SELECT user_arn, list(access_key_id ORDER BY access_key_id) AS key_ids
  FROM credentials WHERE coalesce(status, 'Active') = 'Active' AND user_arn IS NOT NULL GROUP BY user_arn
)
SELECT
  i.kind AS subject_type,
  i.id AS subject_id,
  i.account AS account_id,
  i.arn AS principal_arn,
  a.first_seen,
  coalesce(a.last_seen, i.last_used_at) AS last_seen,
  CASE WHEN i.classification = 'agent' AND coalesce(t.grant_tier, t.observed_tier, 1) >= 3 THEN 'high'
       WHEN i.classification = 'agent' THEN 'medium'
       WHEN coalesce(t.grant_tier, t.observed_tier, 1) >= 3 THEN 'medium'
       ELSE 'low' END AS severity,
  format('{} {} ({}) is not in the agent registry; it {} and can act as tier {}{}',
    replace(i.kind, 'iam-', ''), i.name, i.classification,
    CASE WHEN coalesce(a.calls, 0) > 0 THEN 'made ' || a.calls || ' call(s) in the window' ELSE 'was used in the window' END,
    coalesce(t.grant_tier, t.observed_tier, 1),
    CASE WHEN i.owner IS NOT NULL THEN '; suggested owner ' || i.owner ELSE '' END) AS reason,
  {
    'name': i.name,
    'kind': i.kind,
    'classification': i.classification,
    'signals': list_transform(i.evidence, e -> e.signal),
    -- GitHub identities by their exact inventory id (github://…): several can live in one repository
    'identities': CASE WHEN i.provider = 'github' THEN [i.id]
                       ELSE list_concat([coalesce(i.arn, i.id)], coalesce(k.key_ids, [])) END,
    'suggested_owner': i.owner,
    'suggested_owner_source': CASE i.owner_source WHEN 'tag' THEN 'owner tag' WHEN 'creator' THEN 'creator, from CloudTrail' END,
    'grant_tier': t.grant_tier,
    'observed_tier': t.observed_tier,
    'grants': t.grant_reasons,
    'calls': t.observed_reasons,
    'services': a.services,
    'as_of_date': strftime($as_of, '%Y-%m-%d'),
    'commands': ['shadowscan registry suggest', 'shadowscan explain ' || i.id]
  } AS evidence
FROM identities i
LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.id
LEFT JOIN identity_tiers t ON t.identity_id = i.id
LEFT JOIN keys k ON k.user_arn = i.id
WHERE EXISTS (SELECT 1 FROM registry_state)
  AND i.classification IN ('agent', 'workload')
  AND i.kind <> 'access-key'
  AND i.id NOT IN (SELECT identity_id FROM registry_matches)
  -- active in the window; an AI agent workflow or app in GitHub counts as active while it is configured
  AND (coalesce(a.calls, 0) > 0 OR i.last_used_at >= $window_start OR (i.provider = 'github' AND i.classification = 'agent'))
ORDER BY subject_id
