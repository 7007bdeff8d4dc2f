/*---
id: registry/approvals
title: Registered agent without the approvals its tier requires
category: tier-violation
severity: medium
confidence: high
requires: [registry_agents, registry_approvals, registry_roles, registry_tier_roles, registry_tier_history, registry_matches, identities, people_active]
summary: The registry's approval policy says which roles must sign off each tier; this entry lacks one of them, or an approval does not count (self-approval, an approver who left or does not hold the role, an approval of a lower tier, an approval older than the scan that last saw the entry at a lower tier).
rationale: >-
  A tier is a promise about what an agent may do, and the approvals are who vouched for it. An entry nobody with
  authority approved - or that its own owner approved, or that was raised to a higher tier on an approval of the
  lower one - carries the tier without the review behind it.
false_positives:
  - An approval given in a review but not yet recorded under the entry's approvals.
  - A roster (people list) that is out of date, missing an approver who still works here.
remediation:
  summary: Ask a holder of each missing role to approve the entry at its tier, and record the approvals under the entry.
  steps:
    - Look at evidence.missing (roles still needed, who holds them, the usual wait) and evidence.invalid (approvals that do not count and why).
    - A holder of each missing role reviews the entry and records the approval (`shadowscan registry approve ID --role ROLE --by EMAIL`).
    - The owner of an agent never approves it; an approver who left or approved a lower tier approves again, or someone else does.
references:
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI1:2025"], mitre_attack: [] }
---*/
WITH roster AS (SELECT person, split_part(person, '@', 1) AS local FROM people_active),
-- the tier was raised since an earlier scan in this database stored the entry (same id or identity) at a lower tier:
-- approvals dated before that scan's day do not count for the new tier (registry_tier_history, src/registry/load.ts)
hist AS (SELECT agent_id, prev_tier, prev_run_id, prev_as_of::DATE AS since FROM registry_tier_history),
ap AS (
  SELECT p.*, a.owner, a.tier AS entry_tier,
    CASE
      WHEN lower(p.approver) = lower(a.owner) THEN 'self-approval: ' || p.approver || ' owns the agent'
      WHEN NOT EXISTS (SELECT 1 FROM registry_roles r WHERE r.role = p.role AND r.person = lower(p.approver))
        THEN p.approver || ' does not hold the role ' || p.role || ' in the policy'
      WHEN EXISTS (SELECT 1 FROM roster) AND NOT EXISTS (SELECT 1 FROM roster r WHERE r.person = lower(p.approver) OR r.person = split_part(lower(p.approver), '@', 1) OR r.local = lower(p.approver))
        THEN p.approver || ' has left (not on the people roster)'
      WHEN EXISTS (SELECT 1 FROM registry_approvals q WHERE q.agent_id = p.agent_id AND lower(q.approver) = lower(p.approver) AND q.role <> p.role AND q.line < p.line)
        THEN p.approver || ' already approved in another role: each role needs a different person'
      WHEN p.approved_on > $as_of::DATE THEN 'dated after the scan (' || strftime(p.approved_on, '%Y-%m-%d') || ')'
      WHEN p.tier < a.tier THEN 'approved tier ' || p.tier || ', the entry is tier ' || a.tier
    END AS problem
  FROM registry_approvals p JOIN registry_agents a USING (agent_id)
),
-- roles each entry's tier requires, and whether a valid approval fills each
need AS (
  SELECT a.agent_id, tr.role, tr.ord, tr.usual_wait,
    EXISTS (SELECT 1 FROM ap WHERE ap.agent_id = a.agent_id AND ap.role = tr.role AND ap.problem IS NULL
      AND NOT EXISTS (SELECT 1 FROM hist h WHERE h.agent_id = ap.agent_id AND ap.approved_on < h.since)) AS met,
    (SELECT coalesce(list(r.person ORDER BY r.person), []) FROM registry_roles r
     WHERE r.role = tr.role AND r.person <> lower(a.owner)
       AND (NOT EXISTS (SELECT 1 FROM roster) OR EXISTS (SELECT 1 FROM roster x WHERE x.person = r.person OR x.person = split_part(r.person, '@', 1)))) AS holders
  FROM registry_agents a JOIN registry_tier_roles tr ON tr.tier = a.tier
),
per_entry AS (
  SELECT a.agent_id,
    any_value(n.usual_wait) AS usual_wait,
    list({'role': n.role, 'holders': n.holders} ORDER BY n.ord) FILTER (WHERE NOT n.met) AS missing,
    list(n.role ORDER BY n.ord) AS required
  FROM registry_agents a JOIN need n USING (agent_id)
  GROUP BY a.agent_id
),
bad AS (
  SELECT agent_id,
    list({'by': approver, 'role': role, 'tier': tier, 'date': strftime(approved_on, '%Y-%m-%d'), 'line': line, 'problem': problem} ORDER BY line) AS invalid,
    bool_or(starts_with(problem, 'self-approval')) AS self_approved
  FROM ap WHERE problem IS NOT NULL GROUP BY agent_id
),
-- "tier raised without new approvals": there are approvals, and every one is for a lower tier than the entry's
raised AS (
  SELECT agent_id, max(tier) AS approved_tier FROM ap GROUP BY agent_id HAVING max(tier) < any_value(entry_tier)
),
-- ... or, from history: raised since an earlier scan and no valid approval dated on or after that scan's day
raised_since AS (
  SELECT h.* FROM hist h
  WHERE NOT EXISTS (SELECT 1 FROM ap WHERE ap.agent_id = h.agent_id AND ap.problem IS NULL AND ap.approved_on >= h.since)
)
SELECT
  'registry-entry' AS subject_type,
  a.agent_id AS subject_id,
  (SELECT min(i.account) FROM registry_matches m JOIN identities i ON i.id = m.identity_id WHERE m.agent_id = a.agent_id) AS account_id,
  (SELECT min(i.arn) FROM registry_matches m JOIN identities i ON i.id = m.identity_id WHERE m.agent_id = a.agent_id AND i.kind <> 'access-key') AS principal_arn,
  NULL::TIMESTAMP AS first_seen,
  NULL::TIMESTAMP AS last_seen,
  CASE WHEN a.tier = 3 OR coalesce(b.self_approved, false) OR r.approved_tier IS NOT NULL OR hs.agent_id IS NOT NULL THEN 'high' ELSE 'medium' END AS severity,
  format('agent {} (tier {}) lacks the approvals its tier requires: {}', a.agent_id, a.tier,
    concat_ws('; ',
      CASE WHEN hs.agent_id IS NOT NULL THEN 'tier raised from ' || hs.prev_tier || ' to ' || a.tier || ' on/after ' || strftime(hs.since, '%Y-%m-%d') ||
          ' without new approvals; tier ' || a.tier || ' needs approval by ' || array_to_string(e.required, ', ') ||
          CASE WHEN e.usual_wait IS NOT NULL THEN ' (usually ' || e.usual_wait || ')' ELSE '' END
        WHEN r.approved_tier IS NOT NULL THEN 'tier raised from ' || r.approved_tier || ' to ' || a.tier || ' without new approvals' END,
      -- (with the tier raised, the per-approval "approved tier N" lines say the same again)
      nullif(array_to_string(list_transform(list_filter(coalesce(b.invalid, []), x -> (r.approved_tier IS NULL AND hs.agent_id IS NULL) OR NOT starts_with(x.problem, 'approved tier')), x -> x.problem), '; '), ''),
      -- (raised since an earlier scan: the clause above already names every role the tier needs)
      CASE WHEN len(coalesce(e.missing, [])) > 0 AND hs.agent_id IS NULL THEN 'missing ' || array_to_string(list_transform(e.missing, x -> x.role), ', ') ||
        CASE WHEN e.usual_wait IS NOT NULL THEN ' (usually ' || e.usual_wait || ')' ELSE '' END END)) AS reason,
  {
    'registry_id': a.agent_id,
    'registry_file': a.source_file,
    'registry_line': a.line,
    'location': {'path': a.source_file, 'line': a.line},
    'owner': a.owner,
    'tier': a.tier,
    'required_roles': e.required,
    'missing': coalesce(e.missing, []),
    'invalid': coalesce(b.invalid, []),
    'tier_raised_from': coalesce(hs.prev_tier, r.approved_tier),
    'tier_raised_since': strftime(hs.since, '%Y-%m-%d'),
    'previous_run': hs.prev_run_id,
    'usual_wait': e.usual_wait,
    'commands': ['shadowscan explain ' || a.agent_id]
  } AS evidence
FROM registry_agents a
JOIN per_entry e USING (agent_id)
LEFT JOIN bad b USING (agent_id)
LEFT JOIN raised r USING (agent_id)
LEFT JOIN raised_since hs USING (agent_id)
WHERE len(coalesce(e.missing, [])) > 0 OR b.agent_id IS NOT NULL
ORDER BY subject_id
