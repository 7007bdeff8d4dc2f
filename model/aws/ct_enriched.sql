/*---
name: ct_enriched
kind: temp-table
reads: [ct_window, event_action_map, user_agents]
params: []
summary: >-
  Window events with their parsed user agent and IAM action. A table, not a view: a dozen detectors and the activity and registry models read it, and as a view each of them re-ran both joins.
---*/
CREATE OR REPLACE TEMP TABLE ct_enriched AS
SELECT e.*,
  coalesce(ua.family, CASE WHEN e.user_agent IS NULL THEN 'none' ELSE 'other' END) AS ua_family,
  coalesce(ua.family_kind, 'other') AS ua_kind,
  coalesce(ua.ci, []) AS ci_markers, coalesce(ua.agent_tokens, []) AS agent_tokens,
  coalesce(ua.exec_env, []) AS exec_env, coalesce(ua.tools, []) AS tools, coalesce(ua.scanners, []) AS scanners,
  coalesce(ua.attack_tools, []) AS attack_tools, coalesce(ua.workstation, false) AS workstation,
  m.iam_action, coalesce(m.action_known, false) AS action_known, coalesce(m.permission_free, false) AS permission_free,
  coalesce(m.is_llm_call, false) AS is_llm_call, coalesce(m.is_agent_deploy, false) AS is_agent_deploy
FROM ct_window e
LEFT JOIN user_agents ua USING (user_agent)
LEFT JOIN event_action_map m ON m.event_source = e.event_source AND m.event_name = e.event_name
