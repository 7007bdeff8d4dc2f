/*---
id: registry/tier-violation
title: Registered agent can do, or did, more than its registry tier allows
category: tier-violation
severity: medium
confidence: medium
requires: [registry_agents, registry_matches, identity_tiers, identities, activity_v, registry_tier_roles, registry_roles, people_active]
summary: The effective tier of a registered agent's identity - from its grants, and separately from the calls it made - is above the tier the registry gives it.
rationale: >-
  The tier is the promise the owner made when the agent was registered: tier 1 only reads, tier 2 writes internal
  systems but never touches customer or financial data or sends anything out, tier 3 is external-facing. Grants
  above the tier mean a prompt injection or a bug can do more than anyone reviewed; calls above it mean it already did.
false_positives:
  - Housekeeping writes (its own logs, metrics, session tags) are not counted; other incidental writes may be.
  - The tier rules are a heuristic over IAM action names and access levels; resource scoping (one bucket) is not considered.
remediation:
  summary: Scope the grants down to the registered tier, or have the owner re-register the agent at the tier it needs.
  steps:
    - Look at evidence.grants (what lifts it above its tier) and evidence.calls (what it actually did above it).
    - If the calls are expected, raise the tier in the registry and get the approvals the higher tier needs (evidence.approvals_needed, from the registry's policy).
    - Otherwise remove the grants above the tier, or attach a permissions boundary that denies them.
references:
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI5:2025"], mitre_attack: ["T1078.004", "T1098"] }
---*/
SELECT
  i.kind AS subject_type,
  i.id AS subject_id,
  i.account AS account_id,
  i.arn AS principal_arn,
  act.first_seen,
  act.last_seen,
  CASE WHEN coalesce(t.observed_tier, 0) > r.tier THEN 'high' ELSE 'medium' END AS severity,
  format('agent {} is registered as tier {}, but {} {}: {}',
    r.agent_id, r.tier, replace(i.kind, 'iam-', ''), i.name,
    concat_ws(' and ',
      CASE WHEN coalesce(t.grant_tier, 0) > r.tier THEN 'its grants allow tier ' || t.grant_tier || ' (' || array_to_string(list_sort(list_distinct(list_transform(t.grant_reasons, g -> g.action)))[1:3], ', ') || ')' END,
      CASE WHEN coalesce(t.observed_tier, 0) > r.tier THEN 'it acted as tier ' || t.observed_tier || ' (' || array_to_string(list_transform(t.observed_reasons[1:3], c -> c.action || ' x' || c.calls), ', ') || ')' END))
    || coalesce('; tier ' || nt.tier || ' needs approval by ' || nt.roles || coalesce(' (usually ' || nt.usual_wait || ')', ''), '') AS reason,
  {
    'registry_id': r.agent_id,
    'registry_file': r.source_file,
    'registry_line': r.line,
    'location': {'path': r.source_file, 'line': r.line},
    'registered_tier': r.tier,
    'owner': r.owner,
    'grant_tier': t.grant_tier,
    'observed_tier': t.observed_tier,
    'grants_above_tier': coalesce(t.grant_actions_at_tier, 0),
    'grants': CASE WHEN coalesce(t.grant_tier, 0) > r.tier THEN t.grant_reasons ELSE [] END,
    'calls': CASE WHEN coalesce(t.observed_tier, 0) > r.tier THEN t.observed_reasons ELSE [] END,
    -- what re-registering at the higher tier takes under the registry's approval policy (empty without one)
    'needed_tier': greatest(coalesce(t.grant_tier, 0), coalesce(t.observed_tier, 0)),
    'approvals_needed': coalesce((
      SELECT list({'role': tr.role, 'holders': (
          SELECT coalesce(list(rr.person ORDER BY rr.person), []) FROM registry_roles rr
          WHERE rr.role = tr.role AND rr.person <> lower(r.owner)
            AND (NOT EXISTS (SELECT 1 FROM people_active) OR EXISTS (SELECT 1 FROM people_active pa WHERE pa.person = rr.person OR pa.person = split_part(rr.person, '@', 1))))} ORDER BY tr.ord)
      FROM registry_tier_roles tr WHERE tr.tier = greatest(coalesce(t.grant_tier, 0), coalesce(t.observed_tier, 0))), []),
    'usual_wait': nt.usual_wait,
    'commands': ['shadowscan explain ' || i.id]
  } AS evidence
FROM registry_agents r
JOIN registry_matches m USING (agent_id)
JOIN identities i ON i.id = m.identity_id
JOIN identity_tiers t ON t.identity_id = i.id
LEFT JOIN (
  SELECT tier, string_agg(role, ', ' ORDER BY ord) AS roles, any_value(usual_wait) AS usual_wait FROM registry_tier_roles GROUP BY tier
) nt ON nt.tier = greatest(coalesce(t.grant_tier, 0), coalesce(t.observed_tier, 0))
LEFT JOIN activity_v act ON act.subject_id = i.id AND act.subject_type = CASE WHEN i.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE (coalesce(t.grant_tier, 0) > r.tier OR coalesce(t.observed_tier, 0) > r.tier)
  -- a key is judged through its user when the user is covered too (same grants, calls included)
  AND NOT (i.kind = 'access-key' AND i.parent_id IN (SELECT identity_id FROM registry_matches m2 WHERE m2.agent_id = r.agent_id))
ORDER BY subject_id
