/*---
name: subject_context
kind: table
reads: [activity_v, credentials, identities, trusts]
params: [window_start]
summary: >-
  What a finding's severity follows: how each identity is driven and whether anything uses it. tier: agent-static-key (an agent driven by a long-lived key, raised one level), dormant-guarded (unused and assumable only with MFA, capped at low), dormant (unused, lowered one level), static-key, else the classification.
---*/
CREATE OR REPLACE TABLE subject_context AS
WITH keys AS (
  SELECT c.user_arn, bool_or(coalesce(a.software_calls + a.llm_calls, 0) > 0 OR len(coalesce(a.agent_tokens, [])) > 0) AS driven_by_software
  FROM credentials c JOIN activity_v a ON a.subject_type = 'access-key' AND a.subject_id = c.access_key_id
  WHERE coalesce(c.status, 'Active') = 'Active'
  GROUP BY c.user_arn
),
mfa AS (
  SELECT role_arn, bool_and(has_mfa_condition) AS mfa_only
  FROM trusts WHERE effect = 'Allow' GROUP BY role_arn
),
x AS (
  SELECT i.id, i.arn, i.kind, i.classification, i.last_used_at,
    coalesce(a.calls, ka.calls, 0) AS calls_in_window,
    coalesce(k.driven_by_software, false) OR (i.kind = 'access-key' AND coalesce(ka.software_calls + ka.llm_calls, 0) > 0) AS static_key_driven,
    coalesce(m.mfa_only, false) AS mfa_guarded
  FROM identities i
  LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.id
  LEFT JOIN activity_v ka ON i.kind = 'access-key' AND ka.subject_type = 'access-key' AND ka.subject_id = i.id
  LEFT JOIN keys k ON i.kind = 'iam-user' AND k.user_arn = i.arn
  LEFT JOIN mfa m ON i.kind = 'iam-role' AND m.role_arn = i.arn
)
SELECT *,
  CASE WHEN classification = 'agent' AND static_key_driven THEN 'agent-static-key'
       WHEN calls_in_window = 0 AND (last_used_at IS NULL OR last_used_at < getvariable('window_start')) AND mfa_guarded THEN 'dormant-guarded'
       WHEN calls_in_window = 0 AND (last_used_at IS NULL OR last_used_at < getvariable('window_start')) THEN 'dormant'
       WHEN static_key_driven THEN 'static-key'
       ELSE classification END AS tier
FROM x
