/*---
name: risk_facts
kind: view
reads: [access_levels, activity_v, credentials, grants, identities, subject_context]
params: []
summary: >-
  Per identity, what its risk score reads besides its findings (src/inventory/score.ts): admin and broad grants and
  permissions-management actions (unconditional and not partly denied), write and total granted actions, whether a
  static key drives it, its tier, calls in the window, active keys and LLM calls. Access keys carry their user's grants.
---*/
CREATE OR REPLACE VIEW risk_facts AS
WITH g AS (
  SELECT principal_arn,
    bool_or(pattern IN ('*', '*:*') AND resource = '*' AND NOT conditional AND NOT partially_denied) AS admin,
    bool_or(NOT partially_denied AND NOT conditional AND (via_not_action OR (resource = '*' AND pattern LIKE '%:*'))) AS broad,
    count(DISTINCT action) FILTER (WHERE access_level = 'Permissions management' AND NOT conditional AND NOT partially_denied) AS pm,
    count(DISTINCT action) FILTER (WHERE access_level IN (SELECT access_level FROM access_levels WHERE writes)) AS writes,
    count(DISTINCT action) AS total
  FROM grants GROUP BY principal_arn
),
k AS (
  SELECT user_arn, count(*) AS n FROM credentials WHERE coalesce(status, 'Active') = 'Active' GROUP BY user_arn
)
SELECT i.id, g.admin, g.broad, g.pm, g.writes, g.total, sc.static_key_driven, sc.tier, sc.calls_in_window,
  CASE WHEN i.kind = 'access-key' THEN CASE WHEN coalesce(c.status, 'Active') = 'Active' THEN 1 ELSE 0 END ELSE coalesce(k.n, 0) END AS active_keys,
  coalesce(a.llm_calls, 0) AS llm_calls
FROM identities i
LEFT JOIN g ON g.principal_arn = CASE WHEN i.kind = 'access-key' THEN i.parent_id ELSE i.arn END
LEFT JOIN subject_context sc ON sc.id = i.id
LEFT JOIN k ON i.kind = 'iam-user' AND k.user_arn = i.arn
LEFT JOIN credentials c ON i.kind = 'access-key' AND c.access_key_id = i.id
LEFT JOIN activity_v a ON a.subject_type = CASE WHEN i.kind = 'access-key' THEN 'access-key' ELSE 'principal' END AND a.subject_id = i.id
