/*---
id: aws/trust-too-broad
title: Role trust policy lets too much in
category: trust-too-broad
severity: high
confidence: high
requires: [trusts, identities, iam_principals, ct_window, subject_context]
summary: A role's trust policy allows anyone ("Principal":"*"), any GitHub repository or branch (OIDC without an aud condition, or with a missing or wildcard sub), or another AWS account without sts:ExternalId; the evidence lists who actually assumed it in the window.
rationale: >-
  The trust policy decides who can become the role. GitHub's OIDC provider issues tokens to every workflow
  on github.com: a trust without a `sub` condition lets any repository in the world assume the role, `repo:org/*`
  lets every repository of the organisation (and every branch and pull request in them) do so, and a missing
  `aud` condition accepts tokens minted for other audiences. `"Principal": "*"` without an organisation or
  account condition is public. A third party's account trusted without `sts:ExternalId` is open to the
  confused-deputy problem: anyone who can get that vendor to assume "your" role gets your data. Accounts
  present in the scan (the same organisation) are not third parties. Observed AssumeRole and
  AssumeRoleWithWebIdentity events show which repositories, branches and accounts really use the role, which
  is exactly the list the fixed trust policy needs. Severity follows the subject (lower for a role nobody used).
false_positives:
  - A role meant for every repository of an organisation (e.g. read-only artefact access); scope it to read-only permissions and keep the finding as a documented exception.
  - Accounts of the same organisation that were not part of this scan look external; scan them together or condition the trust on aws:PrincipalOrgID.
remediation:
  summary: Pin the trust policy to the exact repositories, branches or environments, audiences and accounts that need it.
  steps:
    - For GitHub OIDC, require "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" and a StringEquals on ":sub" listing the observed subjects in the evidence (repo:ORG/REPO:ref:refs/heads/main or :environment:prod).
    - For "Principal":"*", add aws:PrincipalOrgID or name the accounts explicitly.
    - For third-party accounts, require sts:ExternalId with the value the vendor gave you.
    - Apply the new document and watch the evidence's callers keep working.
  cli:
    - aws iam get-role --role-name {name} --query Role.AssumeRolePolicyDocument
    - aws iam update-assume-role-policy --role-name {name} --policy-document file://trust-policy.json
references:
  - https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI6:2025", "NHI3:2025"], mitre_attack: ["T1078.004", "T1199"] }
---*/
WITH known AS (
  SELECT DISTINCT account_id FROM iam_principals
),
t AS (
  SELECT role_arn, principal_type, principal, oidc_provider, has_external_id, has_mfa_condition,
    coalesce(condition_json::VARCHAR, '') AS cj,
    CASE WHEN oidc_sub IS NULL THEN NULL ELSE from_json(oidc_sub, '["VARCHAR"]') END AS subs,
    CASE WHEN principal_type = 'AWS' THEN nullif(regexp_extract(principal, '^(arn:[^:]+:iam::)?([0-9]{12})', 2), '') END AS principal_account
  FROM trusts
  WHERE effect = 'Allow' AND NOT starts_with(principal, 'NOT:')
),
issues AS (
  SELECT role_arn, 'anyone' AS issue, 'critical' AS severity, principal,
    'Principal "*" with no organisation, account or source condition: anyone with an AWS account can assume it' AS detail
  FROM t WHERE (principal_type = '*' OR principal = '*')
    AND NOT regexp_matches(cj, '(?i)aws:(PrincipalOrgID|PrincipalOrgPaths|PrincipalAccount|PrincipalArn|SourceAccount|SourceArn|SourceOrgID)')
  UNION ALL
  SELECT role_arn, 'oidc-no-sub', CASE WHEN oidc_provider = 'token.actions.githubusercontent.com' THEN 'critical' ELSE 'high' END, principal,
    'web identity from ' || oidc_provider || ' with no sub condition: every subject the provider issues tokens to can assume it'
  FROM t WHERE principal_type = 'Federated' AND oidc_provider IS NOT NULL AND subs IS NULL
  UNION ALL
  SELECT role_arn, 'oidc-wildcard-sub', 'high', principal,
    'sub condition ' || array_to_string(list_filter(subs, x -> x = '*' OR regexp_matches(x, '^repo:[^:]*\*')), ', ')
      || ' matches any repository it names by wildcard (and every branch, tag, environment and pull request in them)'
  FROM t WHERE oidc_provider = 'token.actions.githubusercontent.com' AND subs IS NOT NULL AND cj LIKE '%StringLike%'
    AND len(list_filter(subs, x -> x = '*' OR regexp_matches(x, '^repo:[^:]*\*'))) > 0
  UNION ALL
  SELECT role_arn, 'oidc-any-ref', 'medium', principal,
    'sub condition ' || array_to_string(list_filter(subs, x -> regexp_matches(x, '^repo:[^:*]+:\*$')), ', ')
      || ' accepts every branch, tag, environment and pull request of the repository'
  FROM t WHERE oidc_provider = 'token.actions.githubusercontent.com' AND subs IS NOT NULL AND cj LIKE '%StringLike%'
    AND len(list_filter(subs, x -> regexp_matches(x, '^repo:[^:*]+:\*$'))) > 0
  UNION ALL
  SELECT role_arn, 'oidc-no-aud', 'medium', principal,
    'no ' || oidc_provider || ':aud condition: tokens minted for other audiences are accepted'
  FROM t WHERE principal_type = 'Federated' AND oidc_provider IS NOT NULL
    AND NOT regexp_matches(cj, '(?i)' || replace(oidc_provider, '.', '\.') || ':aud')
  UNION ALL
  SELECT role_arn, 'external-account-no-external-id', 'medium', principal,
    'account ' || principal_account || ' is not part of this scan and the trust requires no sts:ExternalId (confused deputy)'
  FROM t WHERE principal_type = 'AWS' AND principal_account IS NOT NULL AND principal_account NOT IN (SELECT account_id FROM known)
    AND NOT has_external_id AND NOT has_mfa_condition AND NOT regexp_matches(cj, '(?i)aws:PrincipalOrgID')
),
per_role AS (
  SELECT role_arn,
    list({'issue': issue, 'principal': principal, 'detail': detail} ORDER BY list_position(['critical', 'high', 'medium', 'low'], severity), issue, principal) AS issues,
    (['info', 'low', 'medium', 'high', 'critical'])[max(list_position(['info', 'low', 'medium', 'high', 'critical'], severity))] AS worst
  FROM issues GROUP BY role_arn
),
obs AS (
  SELECT coalesce(json_extract_string(request_parameters, '$.roleArn'), principal_arn) AS role_arn,
    CASE WHEN event_name = 'AssumeRoleWithWebIdentity' THEN coalesce(user_name, principal_arn) ELSE coalesce(principal_arn, 'account:' || account_id) END AS caller,
    event_name, sum(event_count)::BIGINT AS n, min(first_time) AS first_seen, max(last_time) AS last_seen,
    list(DISTINCT source_ip ORDER BY source_ip)[1:5] AS source_ips
  FROM ct_window
  WHERE event_source = 'sts.amazonaws.com' AND event_name IN ('AssumeRole', 'AssumeRoleWithWebIdentity') AND error_code IS NULL
  GROUP BY ALL
),
obs_role AS (
  SELECT role_arn,
    list({'caller': caller, 'event': event_name,
          'repository': nullif(regexp_extract(caller, '^repo:([^:]+)', 1), ''),
          'ref': nullif(regexp_extract(caller, '^repo:[^:]+:(.+)$', 1), ''),
          'calls': n, 'first_seen': first_seen, 'last_seen': last_seen, 'source_ips': source_ips} ORDER BY n DESC, caller) AS callers,
    list(DISTINCT caller ORDER BY caller) FILTER (WHERE starts_with(caller, 'repo:')) AS subjects,
    min(first_seen) AS first_seen, max(last_seen) AS last_seen
  FROM obs GROUP BY role_arn
)
SELECT
  'iam-role' AS subject_type,
  i.arn AS subject_id,
  i.account AS account_id,
  i.arn AS principal_arn,
  o.first_seen,
  o.last_seen,
  -- A role that was assumed in the window is not dormant, even if the sessions made no other calls.
  follow_subject(p.worst, CASE WHEN o.callers IS NOT NULL AND starts_with(sc.tier, 'dormant') THEN NULL ELSE sc.tier END) AS severity,
  format('role {} trust: {}{}', i.name, array_to_string(list_transform(p.issues[1:2], x -> x.detail), '; '),
    CASE WHEN o.callers IS NULL THEN '; nobody assumed it in the window'
         ELSE '; assumed in the window by ' || array_to_string(list_transform(o.callers[1:3], x -> x.caller), ', ')
           || CASE WHEN len(o.callers) > 3 THEN ' and ' || (len(o.callers) - 3) || ' more' ELSE '' END END) AS reason,
  {
    'name': i.name,
    'classification': i.classification,
    'subject_tier': CASE WHEN o.callers IS NOT NULL AND starts_with(sc.tier, 'dormant') THEN 'assumed' ELSE sc.tier END,
    'issues': p.issues,
    'trust_policy': i.trust_policy,
    'observed_callers': coalesce(o.callers, []),
    'observed_subjects': coalesce(o.subjects, [])
  } AS evidence
FROM per_role p
JOIN identities i ON i.arn = p.role_arn AND i.kind = 'iam-role' AND i.classification <> 'aws-service'
LEFT JOIN subject_context sc ON sc.id = i.id
LEFT JOIN obs_role o ON o.role_arn = p.role_arn
ORDER BY subject_id
