/*---
name: classifications
kind: table
reads: [github_identities_base, identities_base, identity_signals]
params: []
summary: >-
  THE classification decision: how the signals (signals/**.sql, rows of identity_signals) combine into a class
  (human | workload | agent | aws-service | unknown), a confidence and the evidence list, for every AWS and GitHub
  identity. Every threshold is named in `th` below. AWS identities follow one rule; GitHub credentials follow the
  rule of their kind (a PAT acts as a person's account, an Actions secret is software by construction, …).
---*/
CREATE OR REPLACE TABLE classifications AS
WITH th AS (
  SELECT
    100 AS decisive,             -- one signal this strong decides alone (service-linked role, declared agent, SSO role)
    30 AS user_human_min,        -- human evidence that makes an IAM user a person's (console sign-in, password)
    40 AS agent_min,             -- agent evidence that makes an agent (AWS; GitHub secrets and apps)
    20 AS software_min,          -- workload + agent evidence that makes software (AWS)
    60 AS human_high, 30 AS human_medium,
    80 AS agent_high, 45 AS agent_medium,
    50 AS workload_high, 25 AS workload_medium,
    20 AS secret_medium,         -- a secret whose name says what it holds (agent 20, or workload 20 on top of 20)
    25 AS pat_agent_min, 20 AS pat_workload_min, 20 AS pat_human_min,
    50 AS pat_agent_high, 40 AS pat_agent_medium, 60 AS pat_workload_high, 35 AS pat_workload_medium
),
ids AS (
  SELECT id, provider, kind, name, parent_id FROM identities_base
  UNION ALL
  SELECT id, provider, kind, name, NULL FROM github_identities_base
),
sig AS (
  SELECT id,
    coalesce(sum(weight) FILTER (WHERE class = 'human'), 0) AS h,
    coalesce(sum(weight) FILTER (WHERE class = 'agent'), 0) AS a,
    coalesce(sum(weight) FILTER (WHERE class = 'workload'), 0) AS w,
    coalesce(max(weight) FILTER (WHERE class = 'aws-service'), 0) AS svc,
    coalesce(max(weight) FILTER (WHERE class = 'human'), 0) AS hmax,
    coalesce(max(weight) FILTER (WHERE class = 'agent'), 0) AS amax,
    coalesce(bool_or(signal_id IN ('aws/console-password-mfa', 'aws/console-password')), false) AS password,
    coalesce(bool_or(signal_id = 'github/scheduled-workflow'), false) AND coalesce(bool_or(signal_id = 'github/agent-tools-in-workflow'), false) AS scheduled_tools,
    list({'signal': signal, 'class': class, 'detail': detail, 'weight': weight} ORDER BY weight DESC, signal, detail) AS evidence
  FROM identity_signals GROUP BY id
),
s AS (
  SELECT ids.*, coalesce(sig.h, 0) AS h, coalesce(sig.a, 0) AS a, coalesce(sig.w, 0) AS w, coalesce(sig.svc, 0) AS svc,
    coalesce(sig.hmax, 0) AS hmax, coalesce(sig.amax, 0) AS amax, coalesce(sig.password, false) AS password, coalesce(sig.scheduled_tools, false) AS scheduled_tools, sig.evidence
  FROM ids LEFT JOIN sig USING (id)
),
c1 AS (
  SELECT s.*,
    CASE
      WHEN s.provider = 'aws' THEN CASE
        WHEN s.svc >= th.decisive THEN 'aws-service'
        -- declared by its owner (registry entry, agent tags): an agent whatever its traffic looks like
        WHEN s.amax >= th.decisive THEN 'agent'
        WHEN s.hmax >= th.decisive THEN 'human'
        -- a console sign-in makes a user human unless automation outweighs it and no password is set
        -- (someone signing in to a service user is human use of an NHI, not a person's user)
        WHEN s.kind = 'iam-user' AND s.h >= th.user_human_min AND (s.h >= s.w OR s.password) THEN 'human'
        WHEN s.a >= th.agent_min THEN 'agent'
        WHEN s.w + s.a >= th.software_min AND s.w + s.a > s.h THEN 'workload'
        WHEN s.h > 0 THEN 'human'
        ELSE 'unknown' END
      -- a PAT acts as a person's account: agent wins when not outweighed, then workload, then human
      WHEN s.kind = 'pat-grant' THEN CASE
        WHEN s.a >= th.pat_agent_min AND s.a >= s.w THEN 'agent'
        WHEN s.w >= th.pat_workload_min AND s.w > s.h THEN 'workload'
        WHEN s.h >= th.pat_human_min THEN 'human'
        ELSE 'unknown' END
      WHEN s.kind = 'agent-workflow' THEN 'agent'
      -- secrets, deploy keys and App installations are software; agents when the agent evidence is strong enough
      WHEN s.a >= th.agent_min THEN 'agent'
      ELSE 'workload' END AS cls
  FROM s, th
),
-- an access key with no evidence of its own is classified like its user (AWS)
c2 AS (
  SELECT c1.*,
    CASE WHEN c1.cls = 'unknown' AND c1.kind = 'access-key' AND p.cls IS NOT NULL THEN p.cls ELSE c1.cls END AS classification,
    (c1.cls = 'unknown' AND c1.kind = 'access-key' AND p.cls IS NOT NULL AND p.cls <> 'unknown') AS inherited,
    p.name AS parent_name
  FROM c1 LEFT JOIN c1 p ON p.id = c1.parent_id
)
SELECT c2.id, c2.classification,
  CASE
    WHEN c2.inherited THEN 'low'
    WHEN c2.provider = 'aws' THEN CASE
      WHEN c2.classification = 'aws-service' THEN 'high'
      WHEN c2.classification = 'human' THEN CASE WHEN c2.h >= th.human_high THEN 'high' WHEN c2.h >= th.human_medium THEN 'medium' ELSE 'low' END
      WHEN c2.classification = 'agent' THEN CASE WHEN c2.a >= th.agent_high THEN 'high' WHEN c2.a >= th.agent_medium THEN 'medium' ELSE 'low' END
      WHEN c2.classification = 'workload' THEN CASE WHEN c2.w >= th.workload_high THEN 'high' WHEN c2.w >= th.workload_medium THEN 'medium' ELSE 'low' END
      ELSE 'low' END
    WHEN c2.kind = 'pat-grant' THEN CASE
      WHEN c2.classification = 'agent' THEN CASE WHEN c2.a >= th.pat_agent_high THEN 'high' WHEN c2.a >= th.pat_agent_medium THEN 'medium' ELSE 'low' END
      WHEN c2.classification = 'workload' THEN CASE WHEN c2.w >= th.pat_workload_high THEN 'high' WHEN c2.w >= th.pat_workload_medium THEN 'medium' ELSE 'low' END
      ELSE 'low' END
    WHEN c2.kind = 'agent-workflow' THEN CASE WHEN c2.scheduled_tools THEN 'high' ELSE 'medium' END
    WHEN c2.kind = 'actions-secret' THEN CASE WHEN c2.a >= th.secret_medium OR c2.w >= 2 * th.secret_medium THEN 'medium' ELSE 'low' END
    WHEN c2.kind = 'app-installation' THEN CASE WHEN c2.classification = 'agent' THEN 'medium' ELSE 'high' END
    ELSE 'medium' END AS confidence,
  CASE WHEN c2.inherited THEN [{'signal': 'no activity of its own', 'class': c2.classification, 'detail': 'classified like its user ' || c2.parent_name, 'weight': 0}]
       ELSE coalesce(c2.evidence, []) END::STRUCT(signal VARCHAR, class VARCHAR, detail VARCHAR, weight INTEGER)[] AS evidence
FROM c2, th
