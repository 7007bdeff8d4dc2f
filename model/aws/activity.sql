/*---
name: activity
kind: table
reads: [ct_enriched]
params: []
summary: >-
  Per identity (subject_type principal) and per long-term access key (subject_type access-key): what it did in the window: calls, errors, user-agent families and markers, services and actions used, IPs, rhythm (days, hours, office hours), LLM calls, console use, agent deploys.
---*/
CREATE OR REPLACE TABLE activity AS
WITH base AS (
  SELECT 'principal' AS subject_type, principal_arn AS subject_id, * FROM ct_enriched WHERE principal_arn IS NOT NULL
  UNION ALL
  SELECT 'access-key', access_key_id, * FROM ct_enriched WHERE starts_with(access_key_id, 'AKIA')
)
SELECT subject_type, subject_id,
  any_value(principal_arn) AS principal_arn, any_value(account_id) AS account_id,
  sum(event_count)::BIGINT AS calls,
  coalesce(sum(event_count) FILTER (WHERE error_code IS NULL), 0)::BIGINT AS ok_calls,
  coalesce(sum(event_count) FILTER (WHERE error_code IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation')), 0)::BIGINT AS denied_calls,
  min(first_time) AS first_seen, max(last_time) AS last_seen,
  list(DISTINCT ua_family ORDER BY ua_family) AS ua_families,
  list(DISTINCT ua_kind ORDER BY ua_kind) AS ua_kinds,
  flatten(list(DISTINCT ci_markers)) AS ci_markers_raw,
  flatten(list(DISTINCT agent_tokens)) AS agent_tokens_raw,
  flatten(list(DISTINCT exec_env)) AS exec_env_raw,
  flatten(list(DISTINCT tools)) AS tools_raw,
  flatten(list(DISTINCT attack_tools)) AS attack_tools_raw,
  -- calls from clients no signature names that are not a console, a browser or AWS itself: software, even unnamed
  coalesce(sum(event_count) FILTER (WHERE ua_kind = 'other' AND user_agent IS NOT NULL AND len(tools) = 0), 0)::BIGINT AS unrecognised_calls,
  list(DISTINCT left(user_agent, 60) ORDER BY left(user_agent, 60)) FILTER (WHERE ua_kind = 'other' AND user_agent IS NOT NULL AND len(tools) = 0) AS unrecognised_agents,
  list(DISTINCT split_part(event_source, '.', 1) ORDER BY split_part(event_source, '.', 1)) AS services,
  list(DISTINCT iam_action ORDER BY iam_action) FILTER (WHERE error_code IS NULL AND NOT permission_free) AS actions_used,
  count(DISTINCT source_ip) AS source_ips,
  list(DISTINCT source_ip ORDER BY source_ip)[1:10] AS sample_ips,
  count(DISTINCT date_trunc('day', event_hour)) AS active_days,
  count(DISTINCT hour(event_hour)) AS active_hours_of_day,
  coalesce(sum(event_count) FILTER (WHERE hour(event_hour) BETWEEN 8 AND 18 AND dayofweek(event_hour) BETWEEN 1 AND 5), 0)::BIGINT AS office_hours_calls,
  coalesce(sum(event_count) FILTER (WHERE is_llm_call), 0)::BIGINT AS llm_calls,
  coalesce(sum(event_count) FILTER (WHERE console_session OR ua_kind = 'console'), 0)::BIGINT AS console_calls,
  coalesce(sum(event_count) FILTER (WHERE event_name = 'ConsoleLogin'), 0)::BIGINT AS console_logins,
  coalesce(sum(event_count) FILTER (WHERE ua_kind IN ('sdk', 'iac', 'raw-http', 'llm-client')), 0)::BIGINT AS software_calls,
  coalesce(sum(event_count) FILTER (WHERE ua_kind = 'cli'), 0)::BIGINT AS cli_calls,
  -- programs run on a desktop OS (a person's laptop), outside console sessions
  coalesce(sum(event_count) FILTER (WHERE workstation AND NOT (coalesce(console_session, false) OR ua_kind = 'console')), 0)::BIGINT AS workstation_calls,
  coalesce(sum(event_count) FILTER (WHERE workstation AND NOT (coalesce(console_session, false) OR ua_kind = 'console')
    AND hour(event_hour) BETWEEN 8 AND 18 AND dayofweek(event_hour) BETWEEN 1 AND 5), 0)::BIGINT AS workstation_office_calls,
  coalesce(list(DISTINCT iam_action ORDER BY iam_action) FILTER (WHERE is_agent_deploy AND error_code IS NULL), []) AS agent_deploys
FROM base GROUP BY subject_type, subject_id
