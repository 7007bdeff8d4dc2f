/*---
id: registry/ownerless
title: Registered agent whose owner is not on the people roster
category: ownerless
severity: medium
confidence: medium
requires: [registry_agents, registry_matches, ownerless_since, activity_v, identities]
params:
  countdown_days: { type: INTEGER, default: 30, description: days from first seen ownerless to deprovisioning }
summary: The registry names an owner who is not on the roster of people who work here (the registry's people list or a people file); a deprovisioning countdown starts.
rationale: >-
  An agent whose owner left keeps running with nobody to answer for it, and its access outlives the reason it was
  granted. The countdown (stored across runs, so it does not restart on every scan) gives a new owner time to claim it
  before it is switched off.
false_positives:
  - The roster is incomplete or the owner changed email address; fix the roster or the registry.
remediation:
  summary: Name a new owner in the registry before the deprovisioning date, or deprovision the agent.
  steps:
    - Find who now runs it (the team of the former owner, the repository's maintainers) and make them the owner.
    - If nobody claims it by the date in the finding, deactivate its credentials and delete its identities.
references:
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI1:2025"], mitre_attack: ["T1078.004"] }
---*/
WITH subj AS (
  -- each identity of the entry (a key is judged through its user when both are covered) …
  SELECT r.agent_id, i.kind AS subject_type, i.id AS subject_id, i.account AS account_id, i.arn AS principal_arn
  FROM registry_agents r JOIN registry_matches m USING (agent_id) JOIN identities i ON i.id = m.identity_id
  WHERE NOT (i.kind = 'access-key' AND i.parent_id IN (SELECT identity_id FROM registry_matches m2 WHERE m2.agent_id = r.agent_id))
  UNION ALL
  -- … or the entry itself when it matches nothing
  SELECT agent_id, 'registry-entry', agent_id, NULL, NULL FROM registry_agents WHERE agent_id NOT IN (SELECT agent_id FROM registry_matches)
)
SELECT
  s.subject_type,
  s.subject_id,
  s.account_id,
  s.principal_arn,
  o.first_seen,
  a.last_seen,
  CASE WHEN o.first_seen + to_days($countdown_days) <= $as_of THEN 'high' ELSE 'medium' END AS severity,
  format('agent {}: owner {} is not on the people roster; deprovision on {} unless someone claims it{}', r.agent_id, r.owner,
    strftime(o.first_seen + to_days($countdown_days), '%Y-%m-%d'),
    CASE WHEN o.first_seen + to_days($countdown_days) <= $as_of THEN ' (overdue)' ELSE ' (' || date_diff('day', $as_of, o.first_seen + to_days($countdown_days)) || ' day(s) left)' END) AS reason,
  {
    'registry_id': r.agent_id,
    'registry_file': r.source_file,
    'registry_line': r.line,
    'location': {'path': r.source_file, 'line': r.line},
    'owner': r.owner,
    'ownerless_since': strftime(o.first_seen, '%Y-%m-%d'),
    'deprovision_on': strftime(o.first_seen + to_days($countdown_days), '%Y-%m-%d'),
    'countdown_days': $countdown_days,
    'identities': (SELECT list(m.identity_id ORDER BY m.identity_id) FROM registry_matches m WHERE m.agent_id = r.agent_id),
    'commands': ['shadowscan explain ' || r.agent_id]
  } AS evidence
FROM subj s
JOIN registry_agents r USING (agent_id)
JOIN ownerless_since o ON o.subject_id = 'registry:' || r.agent_id
LEFT JOIN activity_v a ON a.subject_id = s.subject_id AND a.subject_type = CASE WHEN s.subject_type = 'access-key' THEN 'access-key' ELSE 'principal' END
ORDER BY subject_id
