/*---
id: aws/static-key-in-ci
title: Long-lived access key used from CI runners instead of an OIDC role
category: static-key-in-ci
severity: high
confidence: high
requires: [credentials, activity_v, ct_enriched]
params:
  runner_ip_prefixes:
    type: VARCHAR[]
    default: ["4.148.", "4.227.", "13.105.", "20.57.", "20.102.", "20.169.", "40.84.", "52.154.", "52.225.", "172.183.", "172.210."]
    description: "Source-address prefixes of hosted CI runners (GitHub-hosted runners egress from Azure; the full list is `curl https://api.github.com/meta | jq .actions`)"
  deploy_actions:
    type: VARCHAR[]
    default: [cloudformation:CreateStack, cloudformation:UpdateStack, cloudformation:CreateChangeSet, cloudformation:ExecuteChangeSet, cloudformation:ValidateTemplate, ecr:GetAuthorizationToken, ecr:PutImage, ecr:InitiateLayerUpload, ecr:CompleteLayerUpload, lambda:UpdateFunctionCode, lambda:PublishVersion, ecs:UpdateService, ecs:RegisterTaskDefinition, s3:PutObject, cloudfront:CreateInvalidation, codedeploy:CreateDeployment, elasticbeanstalk:CreateApplicationVersion, elasticbeanstalk:UpdateEnvironment]
    description: "IAM actions that make a run look like a deployment (build artefacts, stacks, images, functions)"
summary: A long-term IAM access key (AKIA…) called AWS from CI runners — CI markers in the user agent (GitHub Actions, GitLab CI, CircleCI, Jenkins, CodeBuild, Bitbucket, Terraform Cloud…), or deploy-shaped calls from hosted-runner networks.
rationale: >-
  A key stored as a CI secret is readable by every workflow that can reach the secret, by anyone who can change
  a workflow file, and by every third-party action the job runs; it never expires and shows up in build logs and
  forks. CI systems can instead exchange a short-lived OIDC token for role credentials that live for one job and
  can be restricted to one repository and branch. GitHub, GitLab, CircleCI, Bitbucket and Terraform Cloud all
  support this, so a static key in CI is almost always avoidable.
false_positives:
  - Self-hosted runners on networks you also use for other workloads (the evidence separates CI-marked calls from runner-network calls).
  - CI systems without OIDC support; use IAM Roles Anywhere or run the job in AWS CodeBuild with a service role.
remediation:
  summary: Create an IAM role trusted by your CI system's OIDC provider, switch the workflow to assume it, then deactivate and delete the key.
  steps:
    - Create the CI system's OIDC identity provider in the account once (GitHub - token.actions.githubusercontent.com, audience sts.amazonaws.com).
    - Create a role with the trust policy in the evidence (oidc_migration.trust_policy; the create-role command below embeds it), restricted to the repository and branch or environment that deploys; put the repository in place of <org>/<repo>.
    - Give the role the permissions the key's user has today, cut down to the actions in the evidence (deploy_actions) if you can.
    - Change the workflow as shown in oidc_migration.workflow_change - permission id-token write, role-to-assume instead of the access key inputs - and delete the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY secrets.
    - Watch one deploy succeed on the role, then deactivate the key; delete it a week later.
  cli:
    - aws iam update-access-key --user-name {user_name} --access-key-id {subject_id} --status Inactive
    - aws iam delete-access-key --user-name {user_name} --access-key-id {subject_id}
references:
  - https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
  - https://github.com/aws-actions/configure-aws-credentials
  - https://docs.gitlab.com/ci/cloud_services/aws/
  - https://circleci.com/docs/openid-connect-tokens/
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI7:2025", "NHI4:2025", "NHI2:2025"], mitre_attack: ["T1078.004", "T1552.004"] }
---*/
WITH g AS (
  -- Rollup rows summed per (key, user agent, address, action, success, day) first: per_key reads far fewer rows.
  SELECT e.access_key_id, e.user_agent, e.source_ip, e.iam_action, e.error_code IS NULL AS ok, date_trunc('day', e.event_hour) AS day,
    sum(e.event_count) AS n, any_value(e.ua_family) AS ua_family, any_value(e.ci_markers) AS ci_markers
  FROM ct_enriched e
  WHERE starts_with(e.access_key_id, 'AKIA') AND len(e.scanners) = 0 AND e.ua_kind NOT IN ('console', 'aws-internal')
  GROUP BY e.access_key_id, e.user_agent, e.source_ip, e.iam_action, e.error_code IS NULL, date_trunc('day', e.event_hour)
),
runner_ips AS (
  -- Prefix-matched once per distinct address, not once per event row.
  SELECT source_ip, len(list_filter($runner_ip_prefixes, p -> starts_with(source_ip, p))) > 0 AS on_runner
  FROM (SELECT DISTINCT source_ip FROM g WHERE source_ip IS NOT NULL)
),
ev AS (
  SELECT e.access_key_id, e.day, e.n, e.user_agent, e.ua_family, e.ci_markers, e.source_ip, e.ok, e.iam_action,
    coalesce(r.on_runner, false) AS on_runner,
    lower(e.iam_action) IN (SELECT lower(unnest($deploy_actions))) AS deploy,
    nullif(regexp_extract(e.user_agent, 'md/run_id[#_](\d+)', 1), '') AS run_id
  FROM g e LEFT JOIN runner_ips r ON r.source_ip = e.source_ip
),
per_key AS (
  SELECT access_key_id,
    coalesce(sum(n) FILTER (WHERE len(ci_markers) > 0), 0) AS ci_marker_calls,
    list_sort(list_distinct(flatten(list(ci_markers) FILTER (WHERE len(ci_markers) > 0)))) AS ci_systems,
    min(user_agent) FILTER (WHERE len(ci_markers) > 0) AS sample_ci_user_agent,
    coalesce(sum(n) FILTER (WHERE on_runner), 0) AS runner_calls,
    list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE on_runner) AS runner_ips,
    coalesce(sum(n) FILTER (WHERE deploy AND ok AND (on_runner OR len(ci_markers) > 0)), 0) AS deploy_calls,
    list(DISTINCT iam_action ORDER BY iam_action) FILTER (WHERE deploy AND ok AND (on_runner OR len(ci_markers) > 0)) AS deploy_actions,
    list(DISTINCT run_id ORDER BY run_id) FILTER (WHERE run_id IS NOT NULL) AS run_ids,
    count(DISTINCT day) FILTER (WHERE on_runner OR len(ci_markers) > 0) AS ci_days,
    list(DISTINCT ua_family ORDER BY ua_family) FILTER (WHERE on_runner OR len(ci_markers) > 0) AS ci_tools,
    coalesce(sum(n) FILTER (WHERE NOT on_runner AND len(ci_markers) = 0), 0) AS other_calls
  FROM ev GROUP BY access_key_id
),
k AS (
  SELECT c.access_key_id, c.account_id, c.user_name, c.user_arn, c.status, c.age_days, c.created_at, a.first_seen, a.last_seen, p.*,
    CASE WHEN list_contains(p.ci_systems, 'GitHub Actions') OR (len(p.ci_systems) = 0 AND p.runner_calls > 0) THEN 'github'
         WHEN list_contains(p.ci_systems, 'GitLab CI') THEN 'gitlab'
         WHEN list_contains(p.ci_systems, 'CircleCI') THEN 'circleci'
         ELSE 'other' END AS provider
  FROM credentials c
  JOIN activity_v a ON a.subject_type = 'access-key' AND a.subject_id = c.access_key_id
  JOIN per_key p USING (access_key_id)
  WHERE (p.ci_marker_calls > 0 OR (p.runner_calls > 0 AND p.deploy_calls > 0)) AND NOT c.deleted
),
t AS (
  SELECT k.*, to_json({'Version': '2012-10-17', 'Statement': [{
      'Effect': 'Allow',
      'Principal': {'Federated': 'arn:aws:iam::' || account_id || ':oidc-provider/' || issuer},
      'Action': 'sts:AssumeRoleWithWebIdentity',
      'Condition': {'StringEquals': MAP {issuer || ':aud': audience, issuer || ':sub': subject}}}]})::VARCHAR AS trust_policy
  FROM (SELECT *,
      CASE provider WHEN 'github' THEN 'token.actions.githubusercontent.com' WHEN 'gitlab' THEN 'gitlab.com'
        WHEN 'circleci' THEN 'oidc.circleci.com/org/<org-id>' ELSE '<issuer host>' END AS issuer,
      CASE provider WHEN 'github' THEN 'sts.amazonaws.com' WHEN 'gitlab' THEN 'https://gitlab.com' WHEN 'circleci' THEN '<org-id>' ELSE 'sts.amazonaws.com' END AS audience,
      CASE provider WHEN 'github' THEN 'repo:<org>/<repo>:ref:refs/heads/main' WHEN 'gitlab' THEN 'project_path:<group>/<project>:ref_type:branch:ref:main'
        WHEN 'circleci' THEN 'org/<org-id>/project/<project-id>/user/<user-id>' ELSE '<the pipeline that deploys>' END AS subject
    FROM k) k
)
SELECT
  'access-key' AS subject_type,
  access_key_id AS subject_id,
  account_id,
  user_arn AS principal_arn,
  first_seen,
  last_seen,
  CASE WHEN status = 'Inactive' THEN 'low' ELSE 'high' END AS severity,
  format('Long-lived key {} of user {} is used from CI: {}{}{}', access_key_id, coalesce(user_name, '?'),
    CASE WHEN ci_marker_calls > 0 THEN array_to_string(ci_systems, ', ') || ' in the user agent of ' || ci_marker_calls || ' call(s)'
         ELSE runner_calls || ' call(s) from hosted-runner networks (' || array_to_string(runner_ips[1:3], ', ') || ')' END,
    CASE WHEN len(deploy_actions) > 0 THEN '; deploys with ' || array_to_string(deploy_actions[1:4], ', ') ELSE '' END,
    CASE WHEN len(run_ids) > 0 THEN ' over ' || len(run_ids) || ' workflow run(s)' ELSE '' END) AS reason,
  {
    'user_name': user_name,
    'key_status': status,
    'key_age_days': age_days,
    'ci_systems': ci_systems,
    'ci_marker_calls': ci_marker_calls,
    'sample_ci_user_agent': sample_ci_user_agent,
    'runner_network_calls': runner_calls,
    'runner_source_ips': coalesce(runner_ips, [])[1:10],
    'deploy_actions': coalesce(deploy_actions, []),
    'deploy_calls': deploy_calls,
    'workflow_run_ids': coalesce(run_ids, [])[1:10],
    'ci_days': ci_days,
    'ci_tools': coalesce(ci_tools, []),
    'calls_outside_ci': other_calls,
    'oidc_migration': {
      'provider': provider,
      'identity_provider_url': CASE provider WHEN 'github' THEN 'https://token.actions.githubusercontent.com'
        WHEN 'gitlab' THEN 'https://gitlab.com' WHEN 'circleci' THEN 'https://oidc.circleci.com/org/<org-id>' ELSE '<your CI system''s OIDC issuer>' END,
      'role_name': coalesce(user_name, 'ci') || '-oidc',
      'trust_policy': trust_policy,
      'workflow_change': CASE provider
        WHEN 'github' THEN 'permissions:' || chr(10) || '  id-token: write' || chr(10) || '  contents: read' || chr(10) || 'steps:' || chr(10)
          || '  - uses: aws-actions/configure-aws-credentials@v4' || chr(10) || '    with:' || chr(10)
          || '      role-to-assume: arn:aws:iam::' || account_id || ':role/' || coalesce(user_name, 'ci') || '-oidc' || chr(10)
          || '      aws-region: us-east-1' || chr(10)
          || '      # remove aws-access-key-id / aws-secret-access-key and delete the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY secrets'
        WHEN 'gitlab' THEN 'id_tokens:' || chr(10) || '  AWS_ID_TOKEN:' || chr(10) || '    aud: https://gitlab.com' || chr(10)
          || 'script:' || chr(10) || '  - aws sts assume-role-with-web-identity --role-arn arn:aws:iam::' || account_id || ':role/' || coalesce(user_name, 'ci') || '-oidc --role-session-name gitlab-$CI_JOB_ID --web-identity-token $AWS_ID_TOKEN'
          || chr(10) || '# and remove the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY CI/CD variables'
        WHEN 'circleci' THEN 'use the aws-cli orb: aws-cli/setup with role_arn: arn:aws:iam::' || account_id || ':role/' || coalesce(user_name, 'ci') || '-oidc, and remove the AWS key environment variables from the project and contexts'
        ELSE 'configure the pipeline to exchange its OIDC token for the role arn:aws:iam::' || account_id || ':role/' || coalesce(user_name, 'ci') || '-oidc (or use IAM Roles Anywhere), then remove the stored key' END
    },
    'commands': [
      'aws iam create-open-id-connect-provider --url https://' || CASE provider WHEN 'other' THEN '<issuer host>' ELSE issuer END || ' --client-id-list ' || audience,
      'aws iam create-role --role-name ' || coalesce(user_name, 'ci') || '-oidc --assume-role-policy-document ''' || trust_policy || '''',
      'aws iam list-attached-user-policies --user-name ' || coalesce(user_name, '<user>') || '   # attach the same policies to the role: aws iam attach-role-policy --role-name ' || coalesce(user_name, 'ci') || '-oidc --policy-arn <arn>'
    ]
  } AS evidence
FROM t
ORDER BY subject_id
