/*---
id: aws/llm-jacking
title: Model access enabled, probed and then used by an identity that never called a model before (LLM-jacking)
category: llm-abuse
severity: high
confidence: high
requires: [ct_enriched, identities]
params:
  max_hours_to_invoke: { type: INTEGER, default: 72, description: "Hours after the first enablement call within which a first model invocation completes the sequence" }
summary: An identity turned on Bedrock model access (PutUseCaseForModelAccess, CreateFoundationModelAgreement, PutFoundationModelEntitlement), usually checked which models it could reach (GetFoundationModelAvailability, ListFoundationModelAgreementOffers, ListFoundationModels, GetModelInvocationLoggingConfiguration), and then invoked a model it had not invoked before in the window - the sequence attackers run with stolen credentials to resell or consume model capacity.
rationale: >-
  LLM-jacking (Sysdig, 2024) is resource hijacking of hosted models: a stolen key or role is used to accept model
  agreements and enable access in an account that never used Bedrock, then to invoke models at the owner's cost
  (often through a reverse proxy that resells the access). An agent or application that already calls models never
  needs to accept agreements from its own runtime credentials, and a person enabling a model does it once from the
  console. The finding is about the sequence, not about a new agent: the identity is not classified as an agent
  because of it, and the evidence lists every step with its time, client and address. Calls made by an attack
  simulation tool (Stratus Red Team) are reported too, with the tool named: the credential that ran it could do it
  for real.
false_positives:
  - A platform engineer enabling a model for a new team from a script and smoke-testing it with the same credentials; confirm with them, and enable models from the console or an admin role in future.
  - An attack simulation (the evidence names the tool) - confirm it was scheduled, then rotate the credential it used.
remediation:
  summary: Treat the credential as stolen - revoke it, remove model access it enabled, and look for invocation cost.
  steps:
    - Deactivate the access key (or revoke the role's sessions) used for the sequence, and find how it leaked (source addresses, user agents in the evidence).
    - In the Bedrock console (Model access), remove access to the models enabled in the evidence unless someone asked for them; delete use-case submissions nobody made.
    - Check Bedrock invocation metrics and the bill for the window; turn on model invocation logging if it is off (attackers check it first).
    - Deny bedrock:PutUseCaseForModelAccess, bedrock:CreateFoundationModelAgreement, bedrock:PutFoundationModelEntitlement and aws-marketplace:Subscribe to every identity but a model-access admin role (an SCP does this for the organisation).
  cli:
    - aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive
    - aws bedrock get-model-invocation-logging-configuration
references:
  - https://sysdig.com/blog/llmjacking-stolen-cloud-credentials-used-in-new-ai-attack/
  - https://stratus-red-team.cloud/attack-techniques/AWS/aws.impact.bedrock-invoke-model/
  - https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html
  - https://attack.mitre.org/techniques/T1496/
mappings: { owasp_nhi: ["NHI2:2025", "NHI5:2025"], mitre_attack: ["T1496", "T1078.004"] }
---*/
WITH ev AS (
  SELECT e.principal_arn, e.first_time, e.last_time, e.event_name, e.error_code, e.user_agent, e.source_ip, e.access_key_id, e.tools, e.event_count,
    e.is_llm_call, e.resource, e.account_id,
    e.event_name IN ('PutUseCaseForModelAccess', 'CreateFoundationModelAgreement', 'PutFoundationModelEntitlement') AS enables,
    e.event_name IN ('GetFoundationModelAvailability', 'ListFoundationModelAgreementOffers', 'ListFoundationModels',
      'GetModelInvocationLoggingConfiguration', 'GetUseCaseForModelAccess') AS probes
  FROM ct_enriched e
  WHERE e.principal_arn IS NOT NULL AND e.invoked_by IS NULL AND starts_with(e.event_source, 'bedrock')
),
enabled AS (
  SELECT principal_arn, min(first_time) AS first_enable FROM ev WHERE enables GROUP BY principal_arn
),
seq AS (
  SELECT ev.principal_arn, any_value(ev.account_id) AS account_id, en.first_enable,
    min(ev.first_time) FILTER (WHERE ev.is_llm_call AND ev.error_code IS NULL AND ev.first_time >= en.first_enable) AS first_invoke,
    count(*) FILTER (WHERE ev.is_llm_call AND ev.first_time < en.first_enable) AS invokes_before,
    list(DISTINCT ev.event_name ORDER BY ev.event_name) FILTER (WHERE ev.enables) AS enable_calls,
    list(DISTINCT ev.event_name ORDER BY ev.event_name) FILTER (WHERE ev.probes) AS probe_calls,
    coalesce(sum(ev.event_count) FILTER (WHERE ev.probes), 0) AS probe_count,
    list(DISTINCT ev.resource ORDER BY ev.resource) FILTER (WHERE ev.is_llm_call AND ev.resource IS NOT NULL) AS models,
    list(DISTINCT ev.user_agent ORDER BY ev.user_agent)[1:5] AS user_agents,
    list(DISTINCT ev.source_ip ORDER BY ev.source_ip)[1:5] AS source_ips,
    list(DISTINCT ev.access_key_id ORDER BY ev.access_key_id) FILTER (WHERE starts_with(ev.access_key_id, 'AKIA')) AS long_term_keys,
    list_distinct(flatten(list(ev.tools))) AS tools,
    list({'time': ev.first_time, 'call': ev.event_name, 'result': coalesce(ev.error_code, 'Success'), 'model': ev.resource,
          'source_ip': ev.source_ip, 'user_agent': ev.user_agent} ORDER BY ev.first_time, ev.event_name)
      FILTER (WHERE ev.enables OR ev.probes OR ev.is_llm_call) AS steps,
    max(ev.last_time) AS last_seen
  FROM ev JOIN enabled en USING (principal_arn)
  GROUP BY ev.principal_arn, en.first_enable
)
SELECT
  coalesce(i.kind, 'principal') AS subject_type,
  s.principal_arn AS subject_id,
  s.account_id,
  s.principal_arn,
  s.first_enable AS first_seen,
  s.last_seen,
  CASE WHEN len(s.long_term_keys) > 0 OR len(s.tools) > 0 THEN 'critical' ELSE 'high' END AS severity,
  format('{} enabled Bedrock model access ({}), {}then invoked {} {} after it, with no model call before{}',
    coalesce(replace(i.kind, 'iam-', '') || ' ' || i.name, s.principal_arn), array_to_string(s.enable_calls, ', '),
    CASE WHEN len(s.probe_calls) > 0 THEN 'probed availability (' || array_to_string(s.probe_calls, ', ') || ', ' || s.probe_count || ' call(s)), ' ELSE '' END,
    coalesce(array_to_string(s.models, ', '), 'a model'),
    CASE WHEN date_diff('minute', s.first_enable, s.first_invoke) < 120 THEN date_diff('minute', s.first_enable, s.first_invoke) || ' minute(s)'
         ELSE date_diff('hour', s.first_enable, s.first_invoke) || ' hour(s)' END,
    CASE WHEN len(s.tools) > 0 THEN '; client: ' || array_to_string(s.tools, ', ') ELSE '' END) AS reason,
  {
    'pattern': 'enable model access, probe availability, invoke a model never used before (LLM-jacking)',
    'enable_calls': s.enable_calls,
    'probe_calls': coalesce(s.probe_calls, []),
    'models_invoked': coalesce(s.models, []),
    'first_enable': s.first_enable,
    'first_invoke': s.first_invoke,
    'steps': s.steps[1:25],
    'tools': s.tools,
    'user_agents': s.user_agents,
    'source_ips': s.source_ips,
    'long_term_keys': coalesce(s.long_term_keys, []),
    'classification': i.classification
  } AS evidence
FROM seq s
LEFT JOIN identities i ON i.id = s.principal_arn
WHERE s.first_invoke IS NOT NULL AND s.invokes_before = 0
  AND s.first_invoke <= s.first_enable + to_hours($max_hours_to_invoke)
ORDER BY subject_id
