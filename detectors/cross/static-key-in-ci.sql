/*---
id: cross/static-key-in-ci
title: Long-lived AWS access key stored as a GitHub Actions secret
category: static-key-in-ci
severity: high
confidence: high
requires: [github_secret_ids, github_secret_access, github_unlisted_key_secrets, github_workflow_facts, github_secret_alerts, credentials, cloudtrail_events, activity_v]
params:
  max_candidates: { type: INTEGER, default: 5, description: "how many candidate IAM keys (used from GitHub Actions runners) to list when the key id is not known" }
summary: An AWS access key id / secret access key pair lives in GitHub Actions secrets (or a workflow passes one to configure-aws-credentials), instead of OIDC federation with a role.
rationale: >-
  A static AWS key in CI never expires, is readable by every workflow of every repository the secret
  reaches (including pull-request workflows someone adds later), and is the classic path from a
  compromised action or dependency to the cloud account. GitHub's OIDC provider gives each job a
  short-lived role session scoped to the repository and branch instead. When a secret-scanning alert
  or CloudTrail (the session tags configure-aws-credentials adds when it chains a role from static keys)
  shows the key id, the finding names the IAM user and key, its status and its use from CI runners.
false_positives:
  - The secret holds a key for a non-AWS S3-compatible store (MinIO, R2) that only borrows the AWS_* names.
  - The key belongs to a sandbox account with no data; still prefer OIDC.
remediation:
  summary: Replace the key with GitHub OIDC federation to an IAM role, then delete the secret and deactivate the key.
  steps:
    - Create (or reuse) an IAM role trusted by token.actions.githubusercontent.com with `sub` pinned to this repository and branch or environment, and aud sts.amazonaws.com.
    - "Give the role only the actions the key's user used (see the user's activity), and add `permissions: id-token: write` to the job."
    - Switch the workflow to `aws-actions/configure-aws-credentials` with `role-to-assume` and remove `aws-access-key-id` / `aws-secret-access-key`.
    - Delete the secrets, then deactivate and delete the IAM access key once CloudTrail shows no more use.
  cli:
    - "{delete_command}"
    - "aws iam update-access-key --user-name {iam_user} --access-key-id {iam_key_id} --status Inactive"
references:
  - https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
  - https://github.com/aws-actions/configure-aws-credentials#oidc
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI7:2025", "NHI2:2025"], mitre_attack: ["T1552.001", "T1078.004"] }
---*/
WITH s AS (
  SELECT *, regexp_replace(upper(name), 'AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SECRET_KEY|ACCESS_KEY|KEY_ID|ACCESS|SECRET)', '') AS stem
  FROM github_secret_ids WHERE credential_type = 'aws-static-key'
),
-- Static-key use in workflows whose secret is not in the collected secret lists still counts (secret list unreadable).
unresolved AS (
  SELECT org, 'repo' AS scope, repo, NULL::VARCHAR AS environment, name, secret_id FROM github_unlisted_key_secrets
),
grp AS (
  SELECT org, scope, repo, environment, stem,
    coalesce(min(secret_id) FILTER (WHERE upper(name) LIKE '%KEY_ID%' OR upper(name) LIKE '%ACCESS_KEY'), min(secret_id)) AS secret_id,
    list(upper(name) ORDER BY upper(name)) AS names, min(created_at) AS created_at, max(updated_at) AS updated_at, any_value(visibility) AS visibility
  FROM s GROUP BY org, scope, repo, environment, stem
  UNION ALL
  SELECT org, scope, repo, environment, '' AS stem, secret_id, [name], NULL::TIMESTAMP, NULL::TIMESTAMP, NULL FROM unresolved
),
-- Workflows that hand these secrets to AWS (configure-aws-credentials inputs or AWS_ACCESS_KEY_ID env).
uses AS (
  SELECT g.secret_id, list(DISTINCT {'repo': f.repo, 'path': f.path, 'line': f.line} ORDER BY {'repo': f.repo, 'path': f.path, 'line': f.line}) AS used_by,
    -- what the key is handed to: configure-aws-credentials, another action's input, a step's env
    coalesce(list(DISTINCT {'path': f.path, 'line': f.line, 'to': f.value} ORDER BY {'path': f.path, 'line': f.line, 'to': f.value}) FILTER (WHERE f.fact = 'aws-static-keys'), []) AS handed_to
  FROM grp g
  JOIN github_workflow_facts f ON f.org = g.org AND list_contains(g.names, upper(f.name))
  WHERE (f.fact = 'aws-static-keys' OR (f.fact = 'secret-ref' AND f.value IN ('with', 'env')))
    AND (EXISTS (SELECT 1 FROM github_secret_access a WHERE a.secret_id = g.secret_id AND a.repo = f.repo) OR (g.scope = 'repo' AND g.repo = f.repo))
  GROUP BY g.secret_id
),
-- Key ids: secret-scanning alerts in the repositories that can read the secret …
alert_keys AS (
  SELECT DISTINCT g.secret_id, al.key_id, 'secret-scanning alert #' || al.number || ' in ' || al.repo AS via
  FROM grp g JOIN github_secret_access a ON a.secret_id = g.secret_id
  JOIN github_secret_alerts al ON al.org = a.org AND al.repo = a.repo AND al.key_id IS NOT NULL
),
-- … or CloudTrail: configure-aws-credentials tags the AssumeRole it makes from static keys with Repository=<org>/<repo>.
tag_keys AS (
  SELECT DISTINCT g.secret_id, e.access_key_id AS key_id, 'CloudTrail AssumeRole session tag Repository=' || t.value AS via
  FROM cloudtrail_events e, unnest(coalesce(from_json(json_extract(e.request_parameters, '$.tags'), '[{"key":"VARCHAR","value":"VARCHAR"}]'), [])) AS u(t)
  JOIN github_secret_access a ON lower(t.value) = lower(a.org || '/' || a.repo)
  JOIN grp g ON g.secret_id = a.secret_id
  WHERE e.event_name = 'AssumeRole' AND starts_with(e.access_key_id, 'AKIA') AND t.key = 'Repository'
),
keyed AS (
  SELECT secret_id, key_id, string_agg(via, '; ' ORDER BY via) AS via FROM (SELECT * FROM alert_keys UNION ALL SELECT * FROM tag_keys) GROUP BY secret_id, key_id
),
joined AS (
  SELECT k.secret_id,
    list({'access_key_id': k.key_id, 'user_name': c.user_name, 'user_arn': c.user_arn, 'account_id': c.account_id, 'status': c.status,
          'key_age_days': c.age_days, 'last_used_at': c.last_used_at, 'calls_in_window': coalesce(act.calls, 0),
          'calls_from_github_actions': list_contains(coalesce(act.ci_markers, []), 'GitHub Actions'), 'matched_by': k.via} ORDER BY k.key_id) AS iam_keys
  FROM keyed k LEFT JOIN credentials c ON c.access_key_id = k.key_id
  LEFT JOIN activity_v act ON act.subject_type = 'access-key' AND act.subject_id = k.key_id
  GROUP BY k.secret_id
),
-- Without a key id: long-lived keys CloudTrail shows being used from GitHub Actions runners (candidates only).
ci_keys AS (
  SELECT list({'access_key_id': c.access_key_id, 'user_name': c.user_name, 'account_id': c.account_id, 'status': c.status,
      'created_at': c.created_at, 'last_seen': act.last_seen} ORDER BY act.last_seen DESC, c.access_key_id) AS candidates, count(*) AS n
  FROM credentials c JOIN activity_v act ON act.subject_type = 'access-key' AND act.subject_id = c.access_key_id
  WHERE list_contains(act.ci_markers, 'GitHub Actions')
),
-- The likeliest candidate: the only one, or the only one created in the three days before the secret was last set.
probable AS (
  SELECT g.secret_id,
    list_filter(coalesce(ci.candidates, []), k -> k.created_at BETWEEN g.updated_at - INTERVAL 3 DAY AND g.updated_at + INTERVAL 1 HOUR) AS near,
    ci.candidates, ci.n
  FROM grp g CROSS JOIN ci_keys ci
),
guess AS (
  SELECT secret_id, CASE WHEN len(near) = 1 THEN near[1] WHEN n = 1 THEN candidates[1] END AS k,
    CASE WHEN len(near) = 1 THEN 'the only long-lived key used from GitHub Actions runners that was created just before the secret was set'
         WHEN n = 1 THEN 'the only long-lived key CloudTrail shows in use from GitHub Actions runners' END AS why,
    candidates[1:$max_candidates] AS candidates
  FROM probable
)
SELECT
  'actions-secret' AS subject_type,
  g.secret_id AS subject_id,
  g.org AS account_id,
  coalesce(j.iam_keys[1].user_arn, (SELECT user_arn FROM credentials WHERE access_key_id = gu.k.access_key_id)) AS principal_arn,
  g.created_at AS first_seen,
  g.updated_at AS last_seen,
  CASE WHEN j.iam_keys[1].status = 'Active' AND j.iam_keys[1].calls_from_github_actions THEN 'critical' ELSE 'high' END AS severity,
  format('{} secret {} holds a long-lived AWS key{}{}', g.scope, array_to_string(g.names, ' + '),
    CASE WHEN g.scope = 'org' THEN ' visible to ' || (SELECT count(*) FROM github_secret_access a WHERE a.secret_id = g.secret_id) || ' repositories'
         ELSE ' in ' || g.repo || coalesce(' (environment ' || g.environment || ')', '') END,
    CASE WHEN j.iam_keys IS NOT NULL THEN ': ' || j.iam_keys[1].access_key_id || ' of IAM user ' || coalesce(j.iam_keys[1].user_name, '(not in the IAM export)')
           || coalesce(', ' || j.iam_keys[1].status, '')
         WHEN gu.k IS NOT NULL THEN '; probably ' || gu.k.access_key_id || ' of IAM user ' || coalesce(gu.k.user_name, '?') || ', ' || gu.why
         ELSE '' END) AS reason,
  {
    'scope': g.scope,
    'repo': g.repo,
    'environment': g.environment,
    'visibility': g.visibility,
    'secret_names': g.names,
    'secret_updated_at': g.updated_at,
    'used_by': coalesce(u.used_by, []),
    'handed_to': coalesce(u.handed_to, []),
    'location': CASE WHEN u.used_by IS NOT NULL THEN {'repo': u.used_by[1].repo, 'path': u.used_by[1].path, 'line': u.used_by[1].line} END,
    'iam_keys': coalesce(j.iam_keys, []),
    'candidate_iam_keys': CASE WHEN j.iam_keys IS NULL THEN coalesce(gu.candidates, []) ELSE [] END,
    'probable_iam_key': CASE WHEN j.iam_keys IS NULL THEN gu.k.access_key_id END,
    'iam_user': coalesce(j.iam_keys[1].user_name, gu.k.user_name, '<user>'),
    'iam_key_id': coalesce(j.iam_keys[1].access_key_id, gu.k.access_key_id, '<key-id>'),
    'delete_command': CASE g.scope
      WHEN 'org' THEN 'gh secret delete ' || g.names[1] || ' --org ' || g.org
      WHEN 'repo' THEN 'gh secret delete ' || g.names[1] || ' --repo ' || g.org || '/' || g.repo
      ELSE 'gh secret delete ' || g.names[1] || ' --repo ' || g.org || '/' || g.repo || ' --env ' || g.environment END
  } AS evidence
FROM grp g
LEFT JOIN uses u USING (secret_id)
LEFT JOIN joined j USING (secret_id)
LEFT JOIN guess gu USING (secret_id)
ORDER BY subject_id
