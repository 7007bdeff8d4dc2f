/*---
name: event_action_map
kind: table
reads: [agent_events, cloudtrail_events, event_actions, iam_actions, llm_sources, source_prefixes]
params: []
summary: >-
  Each distinct (event source, event name) with the IAM action it needs: the event_actions exception first, else "<service prefix>:<eventName without API-version suffix>" as the IAM action catalogue spells it. action_known = false is CloudTracker's "?". is_llm_call / is_agent_deploy come from agent_events. Mapped once per distinct pair, not per event row.
---*/
CREATE OR REPLACE TABLE event_action_map AS
WITH d AS (SELECT DISTINCT event_source, event_name FROM cloudtrail_events),
e AS (
  SELECT d.*,
    coalesce(sp.iam_prefix, regexp_replace(d.event_source, '\.amazonaws\.com$', ''))
      || ':' || regexp_replace(d.event_name, '(\d{8}(v\d+)?|\d{4}_\d{2}_\d{2})$', '') AS naive_action
  FROM d LEFT JOIN source_prefixes sp ON sp.event_source_prefix = regexp_replace(d.event_source, '\.amazonaws\.com$', '')
)
SELECT e.event_source, e.event_name,
  coalesce(ea.action, cat.action, e.naive_action) AS iam_action,
  (ea.action IS NOT NULL OR cat.action IS NOT NULL) AS action_known,
  coalesce(ea.permission_free, false) AS permission_free,
  ((e.event_source IN (SELECT event_source FROM llm_sources) AND e.event_name IN (SELECT event_name FROM agent_events WHERE kind = 'llm-runtime'))
    OR (e.event_source = 'bedrock-agentcore.amazonaws.com' AND e.event_name IN (SELECT event_name FROM agent_events WHERE kind = 'agentcore-runtime'))) AS is_llm_call,
  (starts_with(e.event_source, 'bedrock') AND e.event_name IN (SELECT event_name FROM agent_events WHERE kind = 'agent-deploy')) AS is_agent_deploy
FROM e
LEFT JOIN event_actions ea ON ea.event_source = e.event_source AND ea.event_name = e.event_name
LEFT JOIN iam_actions cat ON lower(cat.action) = lower(e.naive_action)
