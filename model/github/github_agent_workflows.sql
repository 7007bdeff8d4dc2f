/*---
name: github_agent_workflows
kind: table
reads: [github_repos, github_workflow_facts, github_workflows]
params: []
summary: >-
  Workflows that run an AI agent: agent tools or frameworks installed or invoked, or LLM-provider secrets passed.
---*/
CREATE OR REPLACE TABLE github_agent_workflows AS
WITH f AS (
  SELECT org, repo, path,
    coalesce(list(DISTINCT name ORDER BY name) FILTER (WHERE fact = 'agent-tool'), []) AS tools,
    coalesce(list(DISTINCT value ORDER BY value) FILTER (WHERE fact = 'agent-tool'), []) AS tool_kinds,
    coalesce(list(DISTINCT upper(name) ORDER BY upper(name)) FILTER (WHERE fact = 'llm-secret'), []) AS llm_secrets,
    min(line) FILTER (WHERE fact IN ('agent-tool', 'llm-secret')) AS agent_line,
    min(line) FILTER (WHERE fact = 'permissions' AND value = 'write-all') AS write_all_line
  FROM github_workflow_facts GROUP BY org, repo, path
)
SELECT 'github://' || w.org || '/' || w.repo || '/' || w.path AS workflow_id, w.org, w.repo, w.path, w.name,
  w.triggers, w.schedules, len(w.schedules) > 0 AS scheduled, w.permissions, w.write_all, w.permissions_missing,
  f.tools, f.tool_kinds, f.llm_secrets, coalesce(f.agent_line, 1) AS agent_line, f.write_all_line,
  coalesce(r.archived, false) AS archived
FROM github_workflows w JOIN f USING (org, repo, path)
LEFT JOIN github_repos r ON r.org = w.org AND r.repo = w.repo
WHERE w.runs_agent
