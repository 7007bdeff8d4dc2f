/*---
name: user_agents
kind: table
reads: [cloudtrail_events, ua_kinds, ua_signature_hits, ua_signatures]
params: []
summary: >-
  Every distinct user agent, parsed once into a family (the program that made the call: console, CLI, an SDK, IaC, an LLM client, raw HTTP) and markers (CI, agent-framework tokens, execution environment, secret scanners, attack and audit tools, a desktop OS), from ua_signatures. CloudTrail writes S3 data events with the agent in brackets (`[aws-cli/1.18.136 …]`, `[S3Console/0.4, aws-internal/3 …]`): the brackets are dropped before matching. A console client (the browser, CloudShell) carries no execution-environment marker: a person typing in CloudShell is not a deployed workload.
---*/
CREATE OR REPLACE TABLE user_agents AS
WITH u AS (
  SELECT DISTINCT user_agent FROM cloudtrail_events WHERE user_agent IS NOT NULL
),
m AS (
  SELECT h.user_agent, s.ord, s.family, s.kind, s.label, coalesce(k.base, false) AS base
  FROM ua_signature_hits h JOIN ua_signatures s USING (ord) LEFT JOIN ua_kinds k ON k.kind = s.kind
),
p AS (
  SELECT u.user_agent,
    coalesce(arg_min(m.family, m.ord) FILTER (WHERE m.base), 'other') AS family,
    coalesce(arg_min(m.kind, m.ord) FILTER (WHERE m.base), 'other') AS family_kind,
    coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind = 'ci'), []) AS ci,
    coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind IN ('agent-framework', 'agentic-caller')), []) AS agent_tokens,
    coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind = 'exec-env'), []) AS exec_env,
    coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind = 'secret-scanner'), []) AS scanners,
    coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind IN ('attack-tool', 'audit-tool')), []) AS attack_tools,
    coalesce(bool_or(m.kind = 'workstation'), false) AS workstation
  FROM u LEFT JOIN m USING (user_agent)
  GROUP BY u.user_agent
)
SELECT user_agent, family, family_kind, ci, agent_tokens,
  CASE WHEN family_kind = 'console' THEN [] ELSE exec_env END AS exec_env,
  scanners, attack_tools,
  -- every tool named in the agent: what reports show (scanners are excluded from automation detectors, attack tools are not)
  list_concat(scanners, attack_tools) AS tools,
  workstation
FROM p
