import { sourcePrefixSql } from '../inventory/event-actions.js';

/**
 * Model views over the raw tables: what detectors read. Built after loading, in order. Time
 * comes from DuckDB variables `as_of` and `window_start` (set by the pipeline), so every view
 * sees only the scan window.
 */

import { GITHUB_MODEL_SQL } from './model-github.js';

const LLM_EVENTS = `('InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream', 'CountTokens',
  'InvokeAgent', 'InvokeInlineAgent', 'Retrieve', 'RetrieveAndGenerate', 'RetrieveAndGenerateStream',
  'InvokeAgentRuntime', 'InvokeFlow', 'ApplyGuardrail')`;

/** AgentCore data-plane calls an agent makes while it runs (control-plane Create/Get/List calls are a developer's). */
const AGENTCORE_RUNTIME_EVENTS = `('InvokeAgentRuntime', 'CreateEvent', 'ListEvents', 'GetEvent', 'RetrieveMemoryRecords', 'ListMemoryRecords',
  'GetMemoryRecord', 'InvokeCodeInterpreter', 'StartCodeInterpreterSession', 'StartBrowserSession', 'GetWorkloadAccessToken',
  'GetWorkloadAccessTokenForJWT', 'GetWorkloadAccessTokenForUserId', 'GetResourceOauth2Token', 'GetResourceApiKey')`;

/** Control-plane calls that create or change an agent (what a developer or deploy tool does, not the agent itself). */
const AGENT_DEPLOY_EVENTS = `('CreateAgentRuntime', 'UpdateAgentRuntime', 'CreateAgentRuntimeEndpoint', 'UpdateAgentRuntimeEndpoint', 'CreateMemory',
  'CreateGateway', 'CreateGatewayTarget', 'CreateAgent', 'UpdateAgent', 'PrepareAgent', 'CreateAgentAlias', 'CreateAgentActionGroup')`;

/** Event sources whose calls are LLM/agent runtime calls. */
export const LLM_SOURCES = `('bedrock.amazonaws.com', 'bedrock-runtime.amazonaws.com', 'bedrock-agent-runtime.amazonaws.com', 'bedrock-agentcore.amazonaws.com')`;

const BASE_KINDS = `('console', 'aws-internal', 'cli', 'sdk', 'iac', 'llm-client', 'raw-http')`;

/** Owner-like tag keys, strongest first (matched case-insensitively). */
export const OWNER_TAG_KEYS = ['owner', 'owner-email', 'owner_email', 'owneremail', 'owned-by', 'ownedby', 'contact', 'maintainer', 'team', 'squad'];

export const MODEL_SQL: readonly string[] = [
  // The scan window over the CloudTrail rollup.
  `CREATE OR REPLACE VIEW ct_window AS
   SELECT * FROM cloudtrail_events
   WHERE last_time >= getvariable('window_start') AND first_time <= getvariable('as_of')`,

  // Every distinct user agent, parsed once into a family and markers.
  `CREATE OR REPLACE TABLE user_agents AS
   WITH u AS (SELECT DISTINCT user_agent FROM cloudtrail_events WHERE user_agent IS NOT NULL),
   m AS (SELECT u.user_agent, s.ord, s.family, s.kind, s.label FROM u JOIN ua_signatures s ON regexp_matches(u.user_agent, s.pattern))
   SELECT u.user_agent,
     coalesce(arg_min(m.family, m.ord) FILTER (WHERE m.kind IN ${BASE_KINDS}), 'other') AS family,
     coalesce(arg_min(m.kind, m.ord) FILTER (WHERE m.kind IN ${BASE_KINDS}), 'other') AS family_kind,
     coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind = 'ci'), []) AS ci,
     coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind IN ('agent-framework', 'agentic-caller')), []) AS agent_tokens,
     coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind = 'exec-env'), []) AS exec_env,
     coalesce(list(DISTINCT m.label ORDER BY m.label) FILTER (WHERE m.kind IN ('secret-scanner', 'attack-tool')), []) AS tools,
     coalesce(bool_or(m.kind = 'workstation'), false) AS workstation
   FROM u LEFT JOIN m USING (user_agent)
   GROUP BY u.user_agent`,

  // Each distinct (event source, event name) and the IAM action it maps to: the exception table
  // (event_actions) first, else "<service prefix>:<eventName without API-version suffix>", spelled as
  // the IAM action catalogue spells it. action_known = false is CloudTracker's "?". Mapped once per
  // distinct pair (about a hundred), not once per event row.
  `CREATE OR REPLACE TABLE event_action_map AS
   WITH d AS (SELECT DISTINCT event_source, event_name FROM cloudtrail_events),
   e AS (
     SELECT d.*,
       ${sourcePrefixSql("regexp_replace(d.event_source, '\\.amazonaws\\.com$', '')")}
         || ':' || regexp_replace(d.event_name, '(\\d{8}(v\\d+)?|\\d{4}_\\d{2}_\\d{2})$', '') AS naive_action
     FROM d
   )
   SELECT e.event_source, e.event_name,
     coalesce(ea.action, cat.action, e.naive_action) AS iam_action,
     (ea.action IS NOT NULL OR cat.action IS NOT NULL) AS action_known,
     coalesce(ea.permission_free, false) AS permission_free,
     ((e.event_source IN ${LLM_SOURCES} AND e.event_name IN ${LLM_EVENTS})
       OR (e.event_source = 'bedrock-agentcore.amazonaws.com' AND e.event_name IN ${AGENTCORE_RUNTIME_EVENTS})) AS is_llm_call,
     (starts_with(e.event_source, 'bedrock') AND e.event_name IN ${AGENT_DEPLOY_EVENTS}) AS is_agent_deploy
   FROM e
   LEFT JOIN event_actions ea ON ea.event_source = e.event_source AND ea.event_name = e.event_name
   LEFT JOIN iam_actions cat ON lower(cat.action) = lower(e.naive_action)`,

  // Window events with their parsed user agent and IAM action. A table, not a view: a dozen detectors
  // and the activity/registry models read it, and as a view each of them re-ran both joins.
  `CREATE OR REPLACE TEMP TABLE ct_enriched AS
   SELECT e.*,
     coalesce(ua.family, CASE WHEN e.user_agent IS NULL THEN 'none' ELSE 'other' END) AS ua_family,
     coalesce(ua.family_kind, 'other') AS ua_kind,
     coalesce(ua.ci, []) AS ci_markers, coalesce(ua.agent_tokens, []) AS agent_tokens,
     coalesce(ua.exec_env, []) AS exec_env, coalesce(ua.tools, []) AS tools, coalesce(ua.workstation, false) AS workstation,
     m.iam_action, coalesce(m.action_known, false) AS action_known, coalesce(m.permission_free, false) AS permission_free,
     coalesce(m.is_llm_call, false) AS is_llm_call, coalesce(m.is_agent_deploy, false) AS is_agent_deploy
   FROM ct_window e
   LEFT JOIN user_agents ua USING (user_agent)
   LEFT JOIN event_action_map m ON m.event_source = e.event_source AND m.event_name = e.event_name`,

  // Per identity and per long-term key: what it did in the window.
  `CREATE OR REPLACE TABLE activity AS
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
   FROM base GROUP BY subject_type, subject_id`,

  `CREATE OR REPLACE VIEW activity_v AS
   SELECT * EXCLUDE (ci_markers_raw, agent_tokens_raw, exec_env_raw, tools_raw),
     list_sort(list_distinct(ci_markers_raw)) AS ci_markers,
     list_sort(list_distinct(agent_tokens_raw)) AS agent_tokens,
     list_sort(list_distinct(exec_env_raw)) AS exec_envs,
     list_sort(list_distinct(tools_raw)) AS tools
   FROM activity`,

  // Who created what (from CloudTrail detail events), earliest creation wins.
  `CREATE OR REPLACE TABLE creators AS
   WITH c AS (
     SELECT first_time AS created_time, account_id, event_name,
       CASE event_name
         WHEN 'CreateUser' THEN 'user:' || json_extract_string(request_parameters, '$.userName')
         WHEN 'CreateRole' THEN 'role:' || json_extract_string(request_parameters, '$.roleName')
         WHEN 'CreateAccessKey' THEN 'key:' || coalesce(json_extract_string(response_elements, '$.accessKey.accessKeyId'), '')
       END AS target,
       CASE WHEN identity_type = 'IAMUser' THEN coalesce(user_name, regexp_extract(principal_arn, '/([^/]+)$', 1))
            WHEN identity_type = 'AssumedRole' THEN coalesce(session_name, principal_arn)
            WHEN identity_type = 'Root' THEN 'root'
            ELSE principal_arn END AS creator,
       principal_arn AS creator_arn
     FROM cloudtrail_events
     WHERE event_source = 'iam.amazonaws.com' AND event_name IN ('CreateUser', 'CreateRole', 'CreateAccessKey') AND error_code IS NULL
   )
   SELECT target, account_id, arg_min(creator, created_time) AS creator, arg_min(creator_arn, created_time) AS creator_arn, min(created_time) AS created_time
   FROM c WHERE target IS NOT NULL GROUP BY target, account_id`,

  // Long-term credentials (access keys): IAM export, credential report and CloudTrail joined.
  `CREATE OR REPLACE TABLE credentials AS
   WITH keys AS (
     SELECT k.access_key_id, k.account_id, k.user_name, coalesce(p.arn, k.user_arn) AS user_arn, k.status, k.created_at,
       k.last_used_at AS api_last_used,
       row_number() OVER (PARTITION BY k.account_id, k.user_name ORDER BY k.created_at, k.access_key_id) AS slot_guess
     FROM iam_access_keys k LEFT JOIN iam_principals p ON p.principal_type = 'user' AND p.account_id = k.account_id AND p.name = k.user_name
   ),
   seen AS (
     SELECT access_key_id, any_value(account_id) AS account_id, any_value(principal_arn) AS user_arn,
       any_value(user_name) AS user_name, min(first_time) AS first_seen, max(last_time) AS last_seen
     FROM cloudtrail_events WHERE starts_with(access_key_id, 'AKIA') AND identity_type = 'IAMUser'
     GROUP BY access_key_id
   ),
   allkeys AS (
     SELECT access_key_id, account_id, user_name, user_arn, status, created_at, api_last_used, true AS in_iam FROM keys
     UNION ALL
     SELECT s.access_key_id, s.account_id, coalesce(s.user_name, regexp_extract(s.user_arn, '/([^/]+)$', 1)), s.user_arn, NULL, NULL, NULL, false
     FROM seen s WHERE s.access_key_id NOT IN (SELECT access_key_id FROM keys)
   )
   SELECT a.access_key_id, a.account_id, a.user_name, a.user_arn, a.status, a.created_at, a.in_iam,
     date_diff('day', a.created_at, getvariable('as_of')) AS age_days,
     s.first_seen AS cloudtrail_first_seen, s.last_seen AS cloudtrail_last_seen,
     -- GetAccessKeyLastUsed (live collection) is exact; the credential report is matched by rotation time.
     coalesce(a.api_last_used, CASE WHEN cr.key1_last_rotated IS NOT NULL AND abs(date_diff('second', cr.key1_last_rotated, a.created_at)) < 120 THEN cr.key1_last_used
          WHEN cr.key2_last_rotated IS NOT NULL AND abs(date_diff('second', cr.key2_last_rotated, a.created_at)) < 120 THEN cr.key2_last_used END) AS report_last_used,
     greatest(s.last_seen, coalesce(a.api_last_used, CASE WHEN cr.key1_last_rotated IS NOT NULL AND abs(date_diff('second', cr.key1_last_rotated, a.created_at)) < 120 THEN cr.key1_last_used
          WHEN cr.key2_last_rotated IS NOT NULL AND abs(date_diff('second', cr.key2_last_rotated, a.created_at)) < 120 THEN cr.key2_last_used END)) AS last_used_at,
     CASE WHEN s.last_seen IS NOT NULL THEN 'cloudtrail' WHEN a.api_last_used IS NOT NULL THEN 'get-access-key-last-used'
          WHEN cr.user_name IS NOT NULL THEN 'credential-report' END AS last_used_source
   FROM allkeys a
   LEFT JOIN seen s USING (access_key_id)
   LEFT JOIN iam_credential_report cr ON cr.account_id = a.account_id AND cr.user_name = a.user_name`,

  // Identities: IAM users and roles, long-term keys, and principals seen acting but absent from IAM.
  `CREATE OR REPLACE TABLE identities_base AS
   SELECT arn AS id, 'aws' AS provider, account_id AS account,
     CASE principal_type WHEN 'user' THEN 'iam-user' ELSE 'iam-role' END AS kind,
     name, arn, path, created_at, tags, trust_policy, role_last_used_at, NULL::VARCHAR AS parent_id, true AS in_iam
   FROM iam_principals
   UNION ALL
   SELECT c.access_key_id, 'aws', c.account_id, 'access-key', c.access_key_id || ' (' || coalesce(c.user_name, '?') || ')', c.user_arn,
     NULL, c.created_at, NULL, NULL, NULL, c.user_arn, c.in_iam
   FROM credentials c
   UNION ALL
   SELECT a.subject_id, 'aws', a.account_id,
     CASE WHEN a.subject_id LIKE '%:user/%' THEN 'iam-user' WHEN a.subject_id LIKE '%:role/%' THEN 'iam-role' ELSE 'principal' END,
     regexp_extract(a.subject_id, '[/:]([^/:]+)$', 1), a.subject_id, NULL, NULL, NULL, NULL, NULL, NULL, false
   FROM activity a
   WHERE a.subject_type = 'principal' AND a.subject_id LIKE 'arn:aws:iam::%'
     AND a.subject_id NOT LIKE '%:root' AND a.subject_id NOT IN (SELECT arn FROM iam_principals)`,

  // Classification signals: one row per (identity, signal). Weights: see inventory/classify docs.
  `CREATE OR REPLACE TABLE identity_signals AS
   WITH ib AS (SELECT * FROM identities_base),
   act AS (SELECT * FROM activity_v),
   cr AS (SELECT * FROM iam_credential_report),
   trusted AS (SELECT role_arn, principal_type, principal FROM trusts WHERE effect = 'Allow'),
   s AS (
     SELECT id, 'aws-service' AS class, 100 AS weight, 'service-linked role' AS signal, 'path ' || path AS detail FROM ib WHERE path LIKE '/aws-service-role/%'
     UNION ALL SELECT id, 'human', 100, 'SSO permission-set role', 'IAM Identity Center role ' || name FROM ib
       WHERE kind = 'iam-role' AND (name LIKE 'AWSReservedSSO\\_%' ESCAPE '\\' OR path LIKE '/aws-reserved/sso.amazonaws.com/%')
     UNION ALL SELECT ib.id, 'human', 35, 'console password with MFA', 'credential report: password enabled, MFA active'
       FROM ib JOIN cr ON cr.arn = ib.arn WHERE ib.kind = 'iam-user' AND cr.password_enabled AND cr.mfa_active
     UNION ALL SELECT ib.id, 'human', 15, 'console password', 'credential report: password enabled, no MFA'
       FROM ib JOIN cr ON cr.arn = ib.arn WHERE ib.kind = 'iam-user' AND cr.password_enabled AND NOT coalesce(cr.mfa_active, false)
     UNION ALL SELECT ib.id, 'human', 30, 'console sign-in', act.console_logins || ' console sign-in(s), ' || act.console_calls || ' console calls'
       FROM ib JOIN act ON act.subject_type = 'principal' AND act.subject_id = ib.id WHERE act.console_logins > 0 OR act.console_calls > 0
     UNION ALL SELECT ib.id, 'agent', 45, 'LLM runtime calls', act.llm_calls || ' Bedrock/AgentCore runtime call(s)'
       FROM ib JOIN act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
       WHERE act.llm_calls > 0
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
   SELECT * FROM s WHERE detail IS NOT NULL OR signal IS NOT NULL`,

  // The inventory: every identity with classification (+ confidence, evidence), owner and creator.
  `CREATE OR REPLACE TABLE identities AS
   WITH sig AS (
     SELECT id,
       coalesce(sum(weight) FILTER (WHERE class = 'human'), 0) AS h,
       coalesce(sum(weight) FILTER (WHERE class = 'agent'), 0) AS a,
       coalesce(sum(weight) FILTER (WHERE class = 'workload'), 0) AS w,
       coalesce(max(weight) FILTER (WHERE class = 'aws-service'), 0) AS svc,
       coalesce(max(weight) FILTER (WHERE class = 'human'), 0) AS hmax,
       coalesce(bool_or(signal IN ('console password with MFA', 'console password')), false) AS password,
       list({'signal': signal, 'class': class, 'detail': detail, 'weight': weight} ORDER BY weight DESC, signal) AS evidence
     FROM identity_signals GROUP BY id
   ),
   own AS (
     SELECT t.id, arg_min(t.k, o.pos) AS tag_key, arg_min(json_extract_string(t.tags, '$."' || t.k || '"'), o.pos) AS owner_value
     FROM (SELECT id, tags, unnest(json_keys(tags)) AS k FROM identities_base WHERE tags IS NOT NULL) t
     JOIN (SELECT unnest($owner_keys::VARCHAR[]) AS key, generate_subscripts($owner_keys::VARCHAR[], 1) AS pos) o ON lower(t.k) = o.key
     WHERE coalesce(json_extract_string(t.tags, '$."' || t.k || '"'), '') <> ''
     GROUP BY t.id
   ),
   c1 AS (
     SELECT ib.*, coalesce(sig.h, 0) AS h, coalesce(sig.a, 0) AS a, coalesce(sig.w, 0) AS w, sig.evidence,
       CASE WHEN sig.svc >= 100 THEN 'aws-service'
            WHEN sig.hmax >= 100 THEN 'human'
            -- a console sign-in makes a user human unless automation outweighs it and no password is set
            -- (someone signing in to a service user is human use of an NHI, not a person's user)
            WHEN ib.kind = 'iam-user' AND sig.h >= 30 AND (sig.h >= sig.w OR sig.password) THEN 'human'
            WHEN sig.a >= 40 THEN 'agent'
            WHEN sig.w + sig.a >= 20 AND sig.w + sig.a > sig.h THEN 'workload'
            WHEN sig.h > 0 THEN 'human'
            ELSE 'unknown' END AS cls
     FROM identities_base ib LEFT JOIN sig USING (id)
   ),
   c2 AS (
     SELECT c1.*,
       CASE WHEN c1.cls = 'unknown' AND c1.kind = 'access-key' AND p.cls IS NOT NULL THEN p.cls ELSE c1.cls END AS classification,
       (c1.cls = 'unknown' AND c1.kind = 'access-key' AND p.cls IS NOT NULL AND p.cls <> 'unknown') AS inherited,
       p.name AS parent_name
     FROM c1 LEFT JOIN c1 p ON p.id = c1.parent_id
   )
   SELECT c2.id, c2.provider, c2.account, c2.kind, c2.name, c2.arn, c2.path, c2.created_at, c2.tags, c2.trust_policy,
     c2.parent_id, c2.in_iam, c2.classification,
     CASE WHEN c2.inherited THEN 'low'
          WHEN c2.classification IN ('aws-service') THEN 'high'
          WHEN c2.classification = 'human' THEN CASE WHEN c2.h >= 60 THEN 'high' WHEN c2.h >= 30 THEN 'medium' ELSE 'low' END
          WHEN c2.classification = 'agent' THEN CASE WHEN c2.a >= 80 THEN 'high' WHEN c2.a >= 45 THEN 'medium' ELSE 'low' END
          WHEN c2.classification = 'workload' THEN CASE WHEN c2.w >= 50 THEN 'high' WHEN c2.w >= 25 THEN 'medium' ELSE 'low' END
          ELSE 'low' END AS confidence,
     CASE WHEN c2.inherited THEN [{'signal': 'no activity of its own', 'class': c2.classification, 'detail': 'classified like its user ' || c2.parent_name, 'weight': 0}]
          ELSE coalesce(c2.evidence, []) END AS evidence,
     coalesce(o.owner_value, po.owner_value) AS owner_tag_value,
     coalesce(o.tag_key, po.tag_key) AS owner_tag_key,
     coalesce(cr.creator, pcr.creator) AS creator,
     coalesce(cr.creator_arn, pcr.creator_arn) AS creator_arn,
     CASE WHEN coalesce(o.owner_value, po.owner_value) IS NOT NULL THEN coalesce(o.owner_value, po.owner_value)
          ELSE coalesce(cr.creator, pcr.creator) END AS owner,
     CASE WHEN coalesce(o.owner_value, po.owner_value) IS NOT NULL THEN 'tag'
          WHEN coalesce(cr.creator, pcr.creator) IS NOT NULL THEN 'creator' ELSE 'none' END AS owner_source,
     CASE WHEN c2.kind = 'access-key' THEN cred.last_used_at
          ELSE nullif(greatest(coalesce(act.last_seen, TIMESTAMP '1970-01-01'), coalesce(c2.role_last_used_at, TIMESTAMP '1970-01-01'),
            coalesce(rep.password_last_used, TIMESTAMP '1970-01-01'), coalesce(rep.key1_last_used, TIMESTAMP '1970-01-01'),
            coalesce(rep.key2_last_used, TIMESTAMP '1970-01-01')), TIMESTAMP '1970-01-01') END AS last_used_at
   FROM c2
   LEFT JOIN own o ON o.id = c2.id
   LEFT JOIN own po ON po.id = c2.parent_id
   LEFT JOIN creators cr ON cr.account_id = c2.account AND cr.target = CASE c2.kind WHEN 'iam-user' THEN 'user:' || c2.name
        WHEN 'iam-role' THEN 'role:' || c2.name WHEN 'access-key' THEN 'key:' || c2.id END
   LEFT JOIN creators pcr ON c2.kind = 'access-key' AND cr.creator IS NULL AND pcr.account_id = c2.account
        AND pcr.target = 'user:' || regexp_extract(c2.parent_id, '/([^/]+)$', 1)
   LEFT JOIN activity act ON act.subject_type = 'principal' AND act.subject_id = c2.id
   LEFT JOIN iam_credential_report rep ON c2.kind = 'iam-user' AND rep.arn = c2.arn
   LEFT JOIN credentials cred ON c2.kind = 'access-key' AND cred.access_key_id = c2.id
   ORDER BY c2.account, c2.kind, c2.name`,

  // GitHub: secrets, deploy keys, app installations, PAT grants, agent workflows (model-github.ts).
  ...GITHUB_MODEL_SQL,

  // Non-human identities: everything the NHI detectors consider.
  `CREATE OR REPLACE VIEW nhi AS
   SELECT * FROM identities WHERE classification IN ('workload', 'agent', 'unknown')`,

  // What a finding's severity follows (issue 3, "severity that follows the subject"): how the
  // identity is driven and whether anything uses it. One row per IAM user, role and access key.
  //   agent-static-key  an agent driven by a long-lived access key (raised one level)
  //   dormant-guarded   no use in the window or since, and only assumable with MFA (capped at low)
  //   dormant           no use in the window or since (lowered one level)
  //   otherwise the classification (unchanged)
  `CREATE OR REPLACE TABLE subject_context AS
   WITH keys AS (
     SELECT c.user_arn, bool_or(coalesce(a.software_calls + a.llm_calls, 0) > 0 OR len(coalesce(a.agent_tokens, [])) > 0) AS driven_by_software
     FROM credentials c JOIN activity_v a ON a.subject_type = 'access-key' AND a.subject_id = c.access_key_id
     WHERE coalesce(c.status, 'Active') = 'Active'
     GROUP BY c.user_arn
   ),
   mfa AS (
     SELECT role_arn, bool_and(has_mfa_condition) AS mfa_only
     FROM trusts WHERE effect = 'Allow' GROUP BY role_arn
   ),
   x AS (
     SELECT i.id, i.arn, i.kind, i.classification, i.last_used_at,
       coalesce(a.calls, ka.calls, 0) AS calls_in_window,
       coalesce(k.driven_by_software, false) OR (i.kind = 'access-key' AND coalesce(ka.software_calls + ka.llm_calls, 0) > 0) AS static_key_driven,
       coalesce(m.mfa_only, false) AS mfa_guarded
     FROM identities i
     LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.id
     LEFT JOIN activity_v ka ON i.kind = 'access-key' AND ka.subject_type = 'access-key' AND ka.subject_id = i.id
     LEFT JOIN keys k ON i.kind = 'iam-user' AND k.user_arn = i.arn
     LEFT JOIN mfa m ON i.kind = 'iam-role' AND m.role_arn = i.arn
   )
   SELECT *,
     CASE WHEN classification = 'agent' AND static_key_driven THEN 'agent-static-key'
          WHEN calls_in_window = 0 AND (last_used_at IS NULL OR last_used_at < getvariable('window_start')) AND mfa_guarded THEN 'dormant-guarded'
          WHEN calls_in_window = 0 AND (last_used_at IS NULL OR last_used_at < getvariable('window_start')) THEN 'dormant'
          WHEN static_key_driven THEN 'static-key'
          ELSE classification END AS tier
   FROM x`,

  // The one severity adjustment detectors apply to their default (or computed) severity.
  `CREATE OR REPLACE MACRO follow_subject(base, tier) AS
   (['info', 'low', 'medium', 'high', 'critical'])[
     CASE tier
       WHEN 'agent-static-key' THEN least(list_position(['info', 'low', 'medium', 'high', 'critical'], base) + 1, 5)
       WHEN 'dormant-guarded' THEN least(list_position(['info', 'low', 'medium', 'high', 'critical'], base), 2)
       WHEN 'dormant' THEN greatest(list_position(['info', 'low', 'medium', 'high', 'critical'], base) - 1, 1)
       ELSE list_position(['info', 'low', 'medium', 'high', 'critical'], base) END]`,
];
