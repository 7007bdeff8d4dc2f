/*---
id: cross/github-oidc-trust
title: AWS role assumable from GitHub Actions by more repositories than intended
category: trust-too-broad
severity: high
confidence: high
requires: [github_oidc_trusts, github_repo_roles, cloudtrail_events, github_workflow_facts]
summary: An IAM role trusts GitHub's OIDC provider with no `sub` condition or a wildcard in it, so workflows of many repositories (or of any repository on GitHub) can assume it; lists the repositories that can and those CloudTrail shows did.
rationale: >-
  GitHub signs a token for every workflow run of every repository. The role's trust policy is the only thing
  that decides which of those runs get AWS credentials: a missing `sub` condition lets any GitHub repository
  in the world assume the role, `repo:org/*` lets every repository of the org (and anyone who can push a
  workflow to one of them), and `repo:org/repo:*` lets every branch and pull-request workflow of that
  repository. Pin `sub` to the repository and to a protected branch or deployment environment.
false_positives:
  - A deliberately shared read-only role for all repositories of an org (say so in the role's tags and scope its permissions).
remediation:
  summary: Pin the trust policy's `sub` condition to the repositories and branches or environments that deploy with this role.
  steps:
    - Look at `repos_assumed` in the evidence — these are the repositories that really use the role.
    - Replace the wildcard with exact values, e.g. `repo:<org>/<repo>:environment:production` or `repo:<org>/<repo>:ref:refs/heads/main`, using StringEquals.
    - Keep the `aud` condition `sts.amazonaws.com`.
    - Watch CloudTrail AssumeRoleWithWebIdentity failures for a week, then remove any leftover wildcard.
  cli: "aws iam update-assume-role-policy --role-name {role_name} --policy-document file://trust.json"
references:
  - https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services#configuring-the-role-and-trust-policy
  - https://github.com/aws-actions/configure-aws-credentials#oidc
mappings: { owasp_nhi: ["NHI6:2025", "NHI5:2025"], mitre_attack: ["T1199", "T1078.004"] }
---*/
WITH t AS (
  SELECT role_arn, any_value(account_id) AS account_id, list(DISTINCT coalesce(sub_pattern, '(no sub condition)') ORDER BY coalesce(sub_pattern, '(no sub condition)')) AS sub_patterns,
    any_value(aud) AS aud,
    bool_or(repo_glob = '*') AS any_repo,
    bool_or(repo_glob <> '*' AND (contains(repo_glob, '*') OR contains(repo_glob, '?'))) AS repo_wildcard,
    bool_or(sub_pattern IS NOT NULL AND repo_glob NOT LIKE '%*%' AND contains(regexp_replace(sub_pattern, '^repo:[^:]*', ''), '*')) AS ref_wildcard,
    bool_or(sub_pattern IS NULL) AS no_sub
  FROM github_oidc_trusts GROUP BY role_arn
),
can AS (
  SELECT role_arn, count(DISTINCT org || '/' || repo) AS n, list(DISTINCT org || '/' || repo ORDER BY org || '/' || repo)[1:20] AS repos
  FROM github_repo_roles GROUP BY role_arn
),
did AS (
  SELECT principal_arn AS role_arn, regexp_extract(user_name, '^repo:([^:]+)', 1) AS repo, sum(event_count)::BIGINT AS n, max(last_time) AS last_time
  FROM cloudtrail_events
  WHERE event_name = 'AssumeRoleWithWebIdentity' AND identity_provider LIKE '%token.actions.githubusercontent.com%' AND error_code IS NULL
  GROUP BY ALL
),
did_l AS (
  SELECT role_arn, list({'repo': repo, 'assumptions': n, 'last': last_time} ORDER BY n DESC, repo) AS repos, min(last_time) AS first_time, max(last_time) AS last_time
  FROM did GROUP BY role_arn
),
wf AS (
  SELECT name AS role_arn, list({'repo': repo, 'path': path, 'line': line} ORDER BY repo, path, line) AS uses
  FROM github_workflow_facts WHERE fact = 'aws-role' AND starts_with(name, 'arn:aws') GROUP BY name
)
SELECT
  'iam-role' AS subject_type,
  t.role_arn AS subject_id,
  t.account_id,
  t.role_arn AS principal_arn,
  d.first_time AS first_seen,
  d.last_time AS last_seen,
  CASE WHEN t.any_repo THEN 'critical' WHEN t.repo_wildcard THEN 'high' ELSE 'medium' END AS severity,
  format('role {} trusts GitHub OIDC with {}{}{}', regexp_extract(t.role_arn, '[^/]+$'),
    CASE WHEN t.no_sub THEN 'no sub condition: any repository on GitHub can assume it'
         WHEN t.any_repo THEN 'sub ' || array_to_string(t.sub_patterns, ', ') || ': any repository on GitHub can assume it'
         WHEN t.repo_wildcard THEN 'a repository wildcard (' || array_to_string(t.sub_patterns, ', ') || ')'
         ELSE 'a branch wildcard (' || array_to_string(t.sub_patterns, ', ') || '): every branch and pull-request workflow' END,
    CASE WHEN c.n IS NOT NULL THEN '; ' || c.n || ' collected repositories match' ELSE '' END,
    CASE WHEN d.repos IS NOT NULL THEN '; CloudTrail shows ' || len(d.repos) || ' repository(ies) assuming it: ' || array_to_string(list_transform(d.repos[1:3], x -> x.repo), ', ') ELSE '' END) AS reason,
  {
    'role_name': regexp_extract(t.role_arn, '[^/]+$'),
    'sub_patterns': t.sub_patterns,
    'aud': t.aud,
    'repos_can_assume': coalesce(c.repos, []),
    'repos_can_assume_count': coalesce(c.n, 0),
    'repos_assumed': coalesce(d.repos, []),
    'workflows_using': coalesce(w.uses, []),
    'location': CASE WHEN w.uses IS NOT NULL THEN w.uses[1] END
  } AS evidence
FROM t
LEFT JOIN can c USING (role_arn)
LEFT JOIN did_l d USING (role_arn)
LEFT JOIN wf w USING (role_arn)
WHERE t.any_repo OR t.repo_wildcard OR t.ref_wildcard
ORDER BY subject_id
