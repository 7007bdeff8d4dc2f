/*---
name: identity_signals
kind: table
reads: [activity_v, agent_declarations, ct_enriched, iam_credential_report, identities_base, registry_identities, trusts]
params: []
summary: >-
  Classification evidence for AWS identities: one row per (identity, signal) with its class and weight.
---*/
CREATE OR REPLACE TABLE identity_signals AS
WITH ib AS (SELECT * FROM identities_base),
act AS (SELECT * FROM activity_v),
cr AS (SELECT * FROM iam_credential_report),
trusted AS (SELECT role_arn, principal_type, principal FROM trusts WHERE effect = 'Allow'),
-- Declared by the owner: an agent registry entry (the identity, its user, a key of it; the role path may be left out) …
registered AS (
  SELECT DISTINCT ib.id, r.agent_id FROM ib JOIN registry_identities r ON
    (r.ref_kind = 'aws-arn' AND ib.kind <> 'access-key' AND (ib.id = r.ref OR ib.arn = r.ref
       OR (ib.account = regexp_extract(r.ref, '::(\d{12}):', 1) AND ib.name = regexp_extract(r.ref, ':(?:user|role)/(?:.*/)?([^/]+)$', 1)
           AND ib.kind = CASE WHEN regexp_matches(r.ref, ':user/') THEN 'iam-user' ELSE 'iam-role' END)))
    OR (r.ref_kind = 'access-key' AND ib.id = r.ref)
),
declared_reg AS (
  SELECT id, agent_id FROM registered
  UNION SELECT k.id, r.agent_id FROM ib k JOIN registered r ON k.kind = 'access-key' AND k.parent_id = r.id
  UNION SELECT ib.id, r.agent_id FROM registered r JOIN ib k ON k.id = r.id AND k.kind = 'access-key' JOIN ib ON ib.id = k.parent_id
),
-- … or tags (agent-id, agent-tier, ai-agent, purpose=ai-agent: reference/agent-declarations.csv); keys carry their user's
tag_values AS (
  SELECT id, k, json_extract_string(tags, '$."' || k || '"') AS v FROM (SELECT id, tags, unnest(json_keys(tags)) AS k FROM ib WHERE tags IS NOT NULL)
),
tagged AS (
  SELECT t.id, string_agg(t.k || '=' || t.v, ', ' ORDER BY t.k) AS detail
  FROM tag_values t JOIN agent_declarations d ON lower(t.k) = d.tag_key
  WHERE coalesce(t.v, '') <> '' AND lower(t.v) NOT IN ('false', 'no', '0', 'none', 'n/a')
    AND (d.value_pattern IS NULL OR regexp_full_match(lower(t.v), d.value_pattern))
  GROUP BY t.id
),
declared_tag AS (
  SELECT id, detail FROM tagged
  UNION SELECT k.id, t.detail FROM ib k JOIN tagged t ON k.kind = 'access-key' AND k.parent_id = t.id
),
-- Identities whose first model call came after they enabled model access themselves: the LLM-jacking sequence
-- (aws/llm-jacking), which is not evidence of an agent.
enablers AS (
  SELECT principal_arn AS id, min(first_time) AS enabled_at FROM ct_enriched
  WHERE starts_with(event_source, 'bedrock') AND event_name IN ('PutUseCaseForModelAccess', 'CreateFoundationModelAgreement', 'PutFoundationModelEntitlement')
  GROUP BY principal_arn
),
hijacked AS (
  SELECT en.id FROM enablers en JOIN ct_enriched e ON e.principal_arn = en.id AND e.is_llm_call
  GROUP BY en.id, en.enabled_at HAVING min(e.first_time) >= en.enabled_at
),
s AS (
  SELECT id, 'aws-service' AS class, 100 AS weight, 'service-linked role' AS signal, 'path ' || path AS detail FROM ib WHERE path LIKE '/aws-service-role/%'
  UNION ALL SELECT id, 'human', 100, 'SSO permission-set role', 'IAM Identity Center role ' || name FROM ib
    WHERE kind = 'iam-role' AND (name LIKE 'AWSReservedSSO\_%' ESCAPE '\' OR path LIKE '/aws-reserved/sso.amazonaws.com/%')
  UNION ALL SELECT ib.id, 'human', 35, 'console password with MFA', 'credential report: password enabled, MFA active'
    FROM ib JOIN cr ON cr.arn = ib.arn WHERE ib.kind = 'iam-user' AND cr.password_enabled AND cr.mfa_active
  UNION ALL SELECT ib.id, 'human', 15, 'console password', 'credential report: password enabled, no MFA'
    FROM ib JOIN cr ON cr.arn = ib.arn WHERE ib.kind = 'iam-user' AND cr.password_enabled AND NOT coalesce(cr.mfa_active, false)
  UNION ALL SELECT ib.id, 'human', 30, 'console sign-in', act.console_logins || ' console sign-in(s), ' || act.console_calls || ' console calls'
    FROM ib JOIN act ON act.subject_type = 'principal' AND act.subject_id = ib.id WHERE act.console_logins > 0 OR act.console_calls > 0
  UNION ALL SELECT ib.id, 'agent', 45, 'LLM runtime calls', act.llm_calls || ' Bedrock/AgentCore runtime call(s)'
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE act.llm_calls > 0 AND coalesce(ib.parent_id, ib.id) NOT IN (SELECT id FROM hijacked)
  UNION ALL SELECT ib.id, 'unknown', 0, 'model access enabled, then first model calls (LLM-jacking sequence)',
      act.llm_calls || ' model call(s) after it enabled model access itself: judged by aws/llm-jacking, not agent evidence'
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE act.llm_calls > 0 AND coalesce(ib.parent_id, ib.id) IN (SELECT id FROM hijacked)
  UNION ALL SELECT d.id, 'agent', 100, 'declared an agent in the registry', 'agent registry entry ' || string_agg(d.agent_id, ', ' ORDER BY d.agent_id)
    FROM declared_reg d GROUP BY d.id
  UNION ALL SELECT id, 'agent', 100, 'declared an agent by its tags', detail FROM declared_tag
  UNION ALL SELECT ib.id, 'workload', 30, 'driven by an attack or audit tool', array_to_string(act.attack_tools, ', ')
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE len(act.attack_tools) > 0
  UNION ALL SELECT ib.id, 'workload', 20, 'unrecognised software', act.unrecognised_calls || ' call(s) from clients that are not a console, a browser or AWS itself: '
      || array_to_string(act.unrecognised_agents, '; ')
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE act.unrecognised_calls > 0
  UNION ALL SELECT ib.id, 'aws-service', 100, 'only AWS services act through it', act.calls || ' call(s), every one by an AWS service (' || array_to_string(act.ua_families, ', ') || ')'
    FROM ib JOIN act ON act.subject_type = 'principal' AND act.subject_id = ib.id
    WHERE ib.kind = 'iam-role' AND act.calls > 0 AND act.ua_kinds = ['aws-internal']
  UNION ALL SELECT ib.id, 'agent', 50, 'AI-agent framework in user agent', array_to_string(act.agent_tokens, ', ')
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE len(act.agent_tokens) > 0
  UNION ALL SELECT ib.id, 'agent', 60, 'trusted by an AI agent service', 'trust policy allows ' || t.principal
    FROM ib JOIN trusted t ON t.role_arn = ib.arn WHERE t.principal_type = 'Service'
      AND t.principal IN ('bedrock.amazonaws.com', 'bedrock-agentcore.amazonaws.com')
  UNION ALL SELECT id, 'agent', 40, 'AgentCore role name', name FROM ib WHERE name SIMILAR TO '(AmazonBedrockAgentCoreSDK|AgentCoreEvalsSDK|AmazonBedrockExecutionRoleForAgents_).*'
  UNION ALL SELECT id, 'agent', 10, 'name suggests an agent', name FROM ib
    WHERE kind <> 'access-key' AND regexp_matches(lower(name), '(^|[^a-z])(agent|bot|gpt|llm|ai|copilot|assistant|claude)([^a-z]|$)')
  -- A person at a laptop: programmatic calls come (almost) only from a desktop OS, in office hours, never
  -- round the clock, with no CI or agent marker (a deploy tool or the CLI run by hand, e.g. dave's agentcore deploy).
  UNION ALL SELECT ib.id, 'human', 30, 'run by hand from a workstation',
      act.workstation_calls || ' call(s) from programs on macOS/Windows (' || array_to_string(list_filter(act.ua_families, x -> x NOT IN ('console', 'aws-internal', 'other', 'none')), ', ')
      || '), ' || round(100.0 * act.workstation_office_calls / act.workstation_calls)::INTEGER || '% in office hours, active in ' || act.active_hours_of_day || ' hour(s) of the day'
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE act.workstation_calls > 0 AND act.workstation_calls >= 0.9 * (act.calls - act.console_calls)
      AND act.workstation_office_calls >= 0.8 * act.workstation_calls AND act.active_hours_of_day < 18
      AND len(act.ci_markers) = 0 AND len(act.agent_tokens) = 0 AND act.llm_calls = 0
  -- Deploying an agent is evidence about the agent, not that this identity is one (weight 0: explains, never classifies).
  UNION ALL SELECT ib.id, 'workload', 0, 'deployed an agent runtime',
      array_to_string(list_concat(list_filter(['AgentCore starter toolkit'], x -> list_contains(act.ua_families, 'agentcore-toolkit')), act.agent_deploys), ', ')
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE len(act.agent_deploys) > 0 OR list_contains(act.ua_families, 'agentcore-toolkit')
  UNION ALL SELECT ib.id, 'workload', 25, 'software user agents', array_to_string(list_filter(act.ua_families, x -> x NOT IN ('console', 'aws-internal', 'other', 'none', 'aws-cli')), ', ')
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE act.software_calls > 0
  UNION ALL SELECT ib.id, 'workload', 30, 'CI runner', array_to_string(act.ci_markers, ', ')
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE len(act.ci_markers) > 0
  UNION ALL SELECT ib.id, 'workload', 20, 'execution environment', array_to_string(act.exec_envs, ', ')
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE len(act.exec_envs) > 0
  UNION ALL SELECT ib.id, 'workload', 20, 'round-the-clock cadence', 'active in ' || act.active_hours_of_day || ' distinct hours of the day over ' || act.active_days || ' days'
    FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
    WHERE act.active_hours_of_day >= 18 AND act.active_days >= 3
  UNION ALL SELECT ib.id, 'workload', 30, 'trusted by a compute service', 'trust policy allows ' || t.principal
    FROM ib JOIN trusted t ON t.role_arn = ib.arn WHERE t.principal_type = 'Service'
      AND t.principal IN ('lambda.amazonaws.com', 'ec2.amazonaws.com', 'ecs-tasks.amazonaws.com', 'states.amazonaws.com', 'glue.amazonaws.com',
        'codebuild.amazonaws.com', 'batch.amazonaws.com', 'sagemaker.amazonaws.com', 'scheduler.amazonaws.com', 'events.amazonaws.com', 'pods.eks.amazonaws.com')
  UNION ALL SELECT ib.id, 'workload', 30, 'assumed through web identity (OIDC)', 'trust policy allows ' || t.principal
    FROM ib JOIN trusted t ON t.role_arn = ib.arn WHERE t.principal_type = 'Federated' AND t.principal NOT LIKE '%saml-provider%'
  UNION ALL SELECT ib.id, 'human', 25, 'assumed through SAML federation', 'trust policy allows ' || t.principal
    FROM ib JOIN trusted t ON t.role_arn = ib.arn WHERE t.principal_type = 'Federated' AND t.principal LIKE '%saml-provider%'
  UNION ALL SELECT ib.id, 'workload', 10, 'user without console password', 'programmatic access only'
    FROM ib JOIN cr ON cr.arn = ib.arn WHERE ib.kind = 'iam-user' AND NOT coalesce(cr.password_enabled, false)
      AND (cr.key1_active OR cr.key2_active)
)
SELECT * FROM s WHERE detail IS NOT NULL OR signal IS NOT NULL
