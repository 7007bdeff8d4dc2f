/*---
name: activity_v
kind: view
reads: [activity]
params: []
summary: >-
  activity with its marker lists de-duplicated and sorted (ci_markers, agent_tokens, exec_envs, tools, attack_tools; up to five unrecognised user agents): what signals and detectors read.
---*/
CREATE OR REPLACE VIEW activity_v AS
SELECT * EXCLUDE (ci_markers_raw, agent_tokens_raw, exec_env_raw, tools_raw, attack_tools_raw, unrecognised_agents),
  list_sort(list_distinct(ci_markers_raw)) AS ci_markers,
  list_sort(list_distinct(agent_tokens_raw)) AS agent_tokens,
  list_sort(list_distinct(exec_env_raw)) AS exec_envs,
  list_sort(list_distinct(tools_raw)) AS tools,
  list_sort(list_distinct(attack_tools_raw)) AS attack_tools,
  coalesce(unrecognised_agents, [])[1:5] AS unrecognised_agents
FROM activity
