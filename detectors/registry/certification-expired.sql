/*---
id: registry/certification-expired
title: Registered agent not recertified in time
category: certification-expired
severity: medium
confidence: high
requires: [registry_agents, identities, registry_matches]
params:
  period_days: { type: INTEGER, default: 90, description: recertification period }
  warn_days: { type: INTEGER, default: 14, description: warn this many days before the period ends (severity info) }
summary: The registry's certified date of an agent is older than the recertification period (default 90 days); in the last 14 days before that, an info-level warning.
rationale: >-
  Recertification is the moment an owner confirms the agent still exists for a reason, still needs what it can
  do, and is still theirs. Without it, registries fill with agents nobody uses and owners who moved on.
false_positives:
  - A recertification done but not yet committed to the registry file.
remediation:
  summary: The owner reviews the agent (purpose, tier, grants, identities) and updates `certified` in the registry.
  steps:
    - Run `shadowscan explain <registry id>` to see what the agent can do and did in the window.
    - If it is still needed, confirm purpose and tier, and set certified to today's date in the registry.
    - If it is not, remove the entry and deprovision its identities.
references:
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI1:2025"], mitre_attack: [] }
---*/
WITH r AS (
  SELECT a.*, date_diff('day', a.certified, $as_of::DATE) AS age_days,
    a.certified + to_days($period_days) AS due
  FROM registry_agents a
)
SELECT
  'registry-entry' AS subject_type,
  r.agent_id AS subject_id,
  (SELECT min(i.account) FROM registry_matches m JOIN identities i ON i.id = m.identity_id WHERE m.agent_id = r.agent_id) AS account_id,
  (SELECT min(i.arn) FROM registry_matches m JOIN identities i ON i.id = m.identity_id WHERE m.agent_id = r.agent_id AND i.kind <> 'access-key') AS principal_arn,
  NULL::TIMESTAMP AS first_seen,
  NULL::TIMESTAMP AS last_seen,
  CASE WHEN r.age_days > $period_days THEN 'medium' ELSE 'info' END AS severity,
  CASE WHEN r.age_days > $period_days
       THEN format('agent {} (owner {}) was last certified on {}, {} days ago: recertification was due on {}', r.agent_id, r.owner, strftime(r.certified, '%Y-%m-%d'), r.age_days, strftime(r.due, '%Y-%m-%d'))
       ELSE format('agent {} (owner {}) must be recertified by {} ({} day(s) left)', r.agent_id, r.owner, strftime(r.due, '%Y-%m-%d'), $period_days - r.age_days) END AS reason,
  {
    'registry_id': r.agent_id,
    'registry_file': r.source_file,
    'registry_line': r.line,
    'location': {'path': r.source_file, 'line': r.line},
    'owner': r.owner,
    'certified': strftime(r.certified, '%Y-%m-%d'),
    'due': strftime(r.due, '%Y-%m-%d'),
    'age_days': r.age_days,
    'period_days': $period_days,
    'status': CASE WHEN r.age_days > $period_days THEN 'expired' ELSE 'due-soon' END,
    'commands': ['shadowscan explain ' || r.agent_id]
  } AS evidence
FROM r
WHERE r.age_days > $period_days - $warn_days
ORDER BY subject_id
