/*---
name: user_agents
kind: table
reads: [cloudtrail_events, ua_kinds, ua_signatures]
params: []
summary: >-
  Every distinct user agent, parsed once into a family (the program that made the call: console, CLI, an SDK, IaC, an LLM client, raw HTTP) and markers (CI, agent-framework tokens, execution environment, secret scanners and attack tools, a desktop OS), from ua_signatures.
---*/
CREATE OR REPLACE TABLE user_agents AS
WITH u AS (SELECT DISTINCT user_agent FROM cloudtrail_events WHERE user_agent IS NOT NULL),
m AS (
  SELECT u.user_agent, s.ord, s.family, s.kind, s.label, coalesce(k.base, false) AS base
  FROM u JOIN ua_signatures s ON regexp_matches(u.user_agent, s.pattern) LEFT JOIN ua_kinds k ON k.kind = s.kind
)
SELECT u.user_agent,
  coalesce(arg_min(m.family, m.ord) FILTER (WHERE m.base), 'other') AS family,
  coalesce(arg_min(m.kind, m.ord) FILTER (WHERE m.base), 'other') AS family_kind,
  coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind = 'ci'), []) AS ci,
  coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind IN ('agent-framework', 'agentic-caller')), []) AS agent_tokens,
  coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind = 'exec-env'), []) AS exec_env,
  coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind IN ('secret-scanner', 'attack-tool')), []) AS tools,
  coalesce(bool_or(m.kind = 'workstation'), false) AS workstation
FROM u LEFT JOIN m USING (user_agent)
GROUP BY u.user_agent
