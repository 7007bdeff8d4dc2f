/*---
id: aws/bedrock-api-key
title: Long-term Bedrock API key that never expires, is old, or is unused
category: long-lived-credential
severity: medium
confidence: high
requires: [iam_service_credentials, subject_context, ct_enriched]
params:
  max_age_days: { type: INTEGER, default: 90, description: "An active long-term Bedrock API key older than this should have been replaced (the 90-day rotation most policies use for access keys)" }
  unused_grace_days: { type: INTEGER, default: 7, description: "A key created less than this many days ago is not yet 'unused'" }
summary: An active long-term Amazon Bedrock API key (an IAM service-specific credential for bedrock.amazonaws.com, listed by ListServiceSpecificCredentials) that never expires, is older than max_age_days, or whose IAM user made no Bedrock call without an access key in the scan window.
rationale: >-
  A long-term Bedrock API key is a static bearer token: whoever holds the string can call Bedrock models as its IAM
  user, from anywhere, until the key expires or is deactivated - and it is typically pasted into notebooks, .env files
  and agent configurations (AWS_BEARER_TOKEN_BEDROCK), where it leaks like any password. AWS meant long-term keys for
  exploration; applications should use IAM role credentials or short-term keys (valid up to 12 hours). A key with no
  expiry, an old key, or a key nobody uses is exposure without a reason. "Unused" is approximate: CloudTrail does not
  name the API key, so the detector counts the user's Bedrock calls made without an access key (and calls whose
  user agent says the token came from AWS_BEARER_TOKEN_BEDROCK).
false_positives:
  - A sandbox account's exploration key with a short expiry (then only age or disuse fires; raise max_age_days for that account with --param).
  - Keys used through a path CloudTrail does not log (e.g. data events not captured) - the evidence says which calls were seen.
remediation:
  summary: Replace the long-term key with IAM role credentials or short-term Bedrock API keys, then deactivate and delete it.
  steps:
    - Find what uses the key (applications read it from AWS_BEARER_TOKEN_BEDROCK); the user's Bedrock calls, user agents and source IPs are in the evidence.
    - Give the application an IAM role (SigV4 through the SDK), or generate short-term API keys at run time from the role's credentials (aws-bedrock-token-generator; valid up to 12 hours).
    - Deactivate the long-term key, watch for failures for a few days, then delete it. If a long-term key must stay, recreate it with --credential-age-days 90 or less.
    - Prevent new ones - deny iam:CreateServiceSpecificCredential for bedrock.amazonaws.com (or allow it only with iam:ServiceSpecificCredentialAgeDays at most 90), and deny bedrock:CallWithBearerToken where bedrock:bearerTokenType is LONG_TERM, in an SCP or permissions boundary.
  cli:
    - aws iam update-service-specific-credential --user-name {user_name} --service-specific-credential-id {subject_id} --status Inactive
    - aws iam delete-service-specific-credential --user-name {user_name} --service-specific-credential-id {subject_id}
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_bedrock.html
  - https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-permissions.html
  - https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-generate.html
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI7:2025", "NHI2:2025"], mitre_attack: ["T1078.004", "T1552.001"] }
---*/
WITH keys AS (
  SELECT c.*, date_diff('day', c.created_at, getvariable('as_of')) AS age_days,
    date_diff('day', c.created_at, c.expires_at) AS lifetime_days
  FROM iam_service_credentials c
  WHERE c.service_name = 'bedrock.amazonaws.com' AND coalesce(c.status, 'Active') = 'Active'
    AND (c.expires_at IS NULL OR c.expires_at > getvariable('as_of'))
),
use AS (
  -- Bedrock calls by the key's user that no access key signed: an API key (or a console session) made them
  SELECT e.principal_arn, sum(e.event_count)::BIGINT AS calls, max(e.last_time) AS last_call,
    coalesce(sum(e.event_count) FILTER (WHERE list_contains(e.agent_tokens, 'Bedrock API key from AWS_BEARER_TOKEN_BEDROCK')), 0)::BIGINT AS bearer_marked_calls,
    list(DISTINCT e.event_name ORDER BY e.event_name)[1:10] AS events,
    list(DISTINCT e.source_ip ORDER BY e.source_ip)[1:5] AS source_ips,
    list(DISTINCT e.user_agent ORDER BY e.user_agent)[1:3] AS user_agents
  FROM ct_enriched e
  WHERE starts_with(e.event_source, 'bedrock') AND e.identity_type = 'IAMUser'
    AND (e.access_key_id IS NULL OR NOT (starts_with(e.access_key_id, 'AKIA') OR starts_with(e.access_key_id, 'ASIA'))
         OR list_contains(e.agent_tokens, 'Bedrock API key from AWS_BEARER_TOKEN_BEDROCK'))
    AND NOT coalesce(e.console_session, false)
  GROUP BY e.principal_arn
),
judged AS (
  SELECT k.*, u.calls, u.last_call, u.bearer_marked_calls, u.events, u.source_ips, u.user_agents,
    k.expires_at IS NULL AS never_expires,
    k.age_days > $max_age_days AS too_old,
    coalesce(u.calls, 0) = 0 AND k.age_days >= $unused_grace_days AS unused,
    coalesce(sc.tier, 'workload') AS tier
  FROM keys k
  LEFT JOIN use u ON u.principal_arn = k.user_arn
  LEFT JOIN subject_context sc ON sc.id = k.user_arn
)
SELECT
  'service-credential' AS subject_type,
  credential_id AS subject_id,
  account_id,
  user_arn AS principal_arn,
  created_at AS first_seen,
  coalesce(last_call, created_at) AS last_seen,
  -- the user's tier (agent on a static key, dormant, ...) says how a key in use is driven; an unused key keeps its base
  CASE WHEN unused THEN CASE WHEN never_expires THEN 'high' ELSE 'medium' END
       ELSE follow_subject(CASE WHEN never_expires THEN 'high' ELSE 'medium' END, tier) END AS severity,
  format('Long-term Bedrock API key {} of user {}{}: {}', credential_id, user_name, coalesce(' (' || alias || ')', ''),
    array_to_string(list_filter([
      CASE WHEN never_expires THEN 'never expires' END,
      CASE WHEN too_old THEN 'created ' || age_days || ' days ago (threshold ' || $max_age_days || ')' END,
      CASE WHEN NOT never_expires THEN 'expires ' || strftime(expires_at, '%Y-%m-%d') || ' (' || lifetime_days || '-day lifetime)' END,
      CASE WHEN unused THEN 'no Bedrock call by ' || user_name || ' without an access key in the window - unused?'
           WHEN coalesce(calls, 0) > 0 THEN 'in use: ' || calls || ' Bedrock call(s) without an access key, last ' || strftime(last_call, '%Y-%m-%d') END
    ], s -> s IS NOT NULL), '; ')) AS reason,
  {
    'user_name': user_name,
    'user_arn': user_arn,
    'alias': alias,
    'service_user_name': service_user_name,
    'status': coalesce(status, 'Active'),
    'created_at': created_at,
    'age_days': age_days,
    'expires_at': expires_at,
    'never_expires': never_expires,
    'older_than_threshold': too_old,
    'unused_in_window': unused,
    'bedrock_calls_without_access_key': coalesce(calls, 0),
    'calls_marked_bearer_token': coalesce(bearer_marked_calls, 0),
    'last_bedrock_call': last_call,
    'bedrock_events': coalesce(events, []),
    'source_ips': coalesce(source_ips, []),
    'sample_user_agents': coalesce(user_agents, []),
    'subject_tier': tier
  } AS evidence
FROM judged
WHERE never_expires OR too_old OR unused
ORDER BY subject_id
