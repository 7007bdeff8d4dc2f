/*---
id: aws/runtime-escalation
title: Workload or agent changing IAM at run time, or probing for permissions
category: runtime-escalation
severity: high
confidence: medium
requires: [ct_enriched, nhi]
params:
  min_denied_burst: { type: INTEGER, default: 10, description: "Access-denied calls within one hour that make a burst" }
  min_denied_services: { type: INTEGER, default: 3, description: "Distinct services the denied calls of a burst must span (probing, not one misconfigured call)" }
  office_start_hour: { type: INTEGER, default: 8, description: "Plain AWS CLI IAM writes inside office hours (UTC) are treated as a person at a keyboard and skipped" }
  office_end_hour: { type: INTEGER, default: 19, description: "End of office hours (UTC hour, exclusive)" }
summary: A workload, agent or unclassified identity (in the IAM export or not) made IAM write calls - CreateUser, CreateRole, CreateAccessKey for others, login profiles, Attach/Put policies, policy versions, group membership, UpdateAssumeRolePolicy, removing permission boundaries - or passed a role to new compute (Lambda, EC2, CloudFormation, CodeBuild, Glue, SageMaker, AgentCore), or produced bursts of AccessDenied across several services.
rationale: >-
  Software that rewrites IAM at run time can grant itself (or an attacker holding its credentials) anything
  its policy lets it touch - this is the privilege-escalation path actually being walked, not just possible. An
  AI agent doing it is the clearest sign of a prompt-injected or runaway plan. Bursts of AccessDenied across
  services are what enumeration looks like - a stolen credential mapping what it can do, or an agent trying
  tools until one works. Calls made through the console or by a plain AWS CLI in office hours are left out
  (a person at a keyboard), as are key rotations of the identity's own keys and CloudFormation acting for a stack.
false_positives:
  - Deployment pipelines that manage IAM with Terraform or the SDK (the evidence names the client); scope them with a permission boundary and a path.
  - A misconfigured job retrying a denied call across services after a policy change.
remediation:
  summary: Stop the identity, undo what it changed, and take away its ability to change IAM.
  steps:
    - Review every IAM change in the evidence (target, time, client, source address) and revert the ones nobody intended (detach or delete the policies, delete created users and keys).
    - If the calls are unexpected, deactivate the identity's credentials (or revoke the role's sessions) before investigating further.
    - Remove iam:* write actions from its policies and attach a permission boundary that denies IAM writes and iam:PassRole.
    - For denied bursts, check the source addresses and user agents - a new address probing with a workload's credential means the credential leaked.
references:
  - https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
  - https://attack.mitre.org/techniques/T1098/
mappings: { owasp_nhi: ["NHI5:2025", "NHI2:2025"], mitre_attack: ["T1098", "T1098.001", "T1098.003", "T1580"] }
---*/
WITH subj AS (
  -- principals absent from the IAM export too: a user deleted since, or an export that missed it, still changed IAM
  SELECT i.id, i.kind, i.name, i.account, i.arn, i.classification, i.in_iam
  FROM nhi i WHERE i.kind IN ('iam-user', 'iam-role')
),
ev AS (
  SELECT e.*,
    (e.ua_kind = 'cli' AND len(e.agent_tokens) = 0 AND len(e.ci_markers) = 0
      AND hour(e.event_hour) >= $office_start_hour AND hour(e.event_hour) < $office_end_hour AND isodow(e.event_hour) <= 5) AS interactive,
    coalesce(json_extract_string(e.request_parameters, '$.userName'), json_extract_string(e.request_parameters, '$.roleName'),
      json_extract_string(e.request_parameters, '$.groupName'), json_extract_string(e.request_parameters, '$.policyArn')) AS target,
    coalesce(json_extract_string(e.request_parameters, '$.role'), json_extract_string(e.request_parameters, '$.roleArn'),
      json_extract_string(e.request_parameters, '$.roleARN'), json_extract_string(e.request_parameters, '$.serviceRole'),
      json_extract_string(e.request_parameters, '$.executionRoleArn'), json_extract_string(e.request_parameters, '$.iamInstanceProfile.arn'),
      json_extract_string(e.request_parameters, '$.iamInstanceProfile.name'), json_extract_string(e.request_parameters, '$.Role')) AS passed_role
  FROM ct_enriched e
  WHERE e.ua_kind NOT IN ('console', 'aws-internal') AND NOT coalesce(e.console_session, false) AND e.invoked_by IS NULL
),
writes AS (
  SELECT s.id, e.first_time, e.event_name, e.iam_action, e.target, e.passed_role, e.error_code, e.user_agent, e.ua_family, e.source_ip,
    e.access_key_id, e.agent_tokens, e.tools, (e.event_source = 'iam.amazonaws.com') AS is_iam,
    (e.target IS NOT NULL AND (lower(e.target) = lower(s.name) OR e.target = s.arn)) AS on_self,
    e.event_name IN ('PutRolePolicy', 'PutUserPolicy', 'AttachRolePolicy', 'AttachUserPolicy', 'CreateAccessKey', 'CreateLoginProfile',
      'UpdateLoginProfile', 'CreateUser', 'UpdateAssumeRolePolicy', 'AddUserToGroup', 'CreatePolicyVersion', 'SetDefaultPolicyVersion',
      'DeleteRolePermissionsBoundary', 'DeleteUserPermissionsBoundary') AS strong
  FROM ev e JOIN subj s ON s.id = e.principal_arn
  WHERE NOT e.interactive AND (
    (e.event_source = 'iam.amazonaws.com' AND e.event_name IN ('CreateUser', 'CreateRole', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile',
      'AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy',
      'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'UpdateAssumeRolePolicy', 'AddUserToGroup',
      'DeleteRolePermissionsBoundary', 'DeleteUserPermissionsBoundary', 'PutRolePermissionsBoundary', 'PutUserPermissionsBoundary'))
    OR (e.passed_role IS NOT NULL AND e.event_source <> 'iam.amazonaws.com' AND e.event_source <> 'sts.amazonaws.com')
  )
),
writes_kept AS (
  -- an identity rotating its own keys is hygiene, not escalation
  SELECT * FROM writes WHERE NOT (on_self AND event_name IN ('CreateAccessKey'))
),
w AS (
  SELECT id,
    count(*) FILTER (WHERE error_code IS NULL AND is_iam) AS ok_writes,
    count(*) FILTER (WHERE error_code IS NULL AND NOT is_iam) AS passes,
    list(DISTINCT regexp_extract(passed_role, '([^/:]+)$', 1) || ' via ' || iam_action ORDER BY regexp_extract(passed_role, '([^/:]+)$', 1) || ' via ' || iam_action)
      FILTER (WHERE error_code IS NULL AND NOT is_iam) AS passed,
    count(*) FILTER (WHERE error_code IS NOT NULL) AS failed_writes,
    bool_or(error_code IS NULL AND on_self AND event_name LIKE '%Policy%') AS self_grant,
    bool_or(error_code IS NULL AND strong) AS strong_ok,
    list({'time': first_time, 'action': iam_action, 'target': coalesce(target, passed_role), 'passed_role': passed_role,
          'result': coalesce(error_code, 'Success'), 'on_itself': on_self, 'client': ua_family, 'user_agent': user_agent,
          'source_ip': source_ip, 'access_key_id': access_key_id} ORDER BY first_time)[1:20] AS iam_changes,
    list_sort(list_distinct(flatten(list(tools)))) AS tools,
    list(DISTINCT iam_action ORDER BY iam_action) FILTER (WHERE is_iam AND error_code IS NULL) AS actions,
    list(DISTINCT iam_action ORDER BY iam_action) FILTER (WHERE is_iam AND error_code IS NOT NULL) AS denied_actions,
    min(first_time) AS first_seen, max(first_time) AS last_seen
  FROM writes_kept GROUP BY id
),
denied_hours AS (
  SELECT s.id, e.event_hour, sum(e.event_count) AS denied, count(DISTINCT split_part(e.event_source, '.', 1)) AS services,
    list(DISTINCT e.iam_action ORDER BY e.iam_action)[1:8] AS sample_actions, list(DISTINCT e.source_ip ORDER BY e.source_ip)[1:5] AS source_ips,
    list(DISTINCT e.ua_family ORDER BY e.ua_family) AS clients
  FROM ct_enriched e JOIN subj s ON s.id = e.principal_arn
  WHERE e.error_code IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError')
  GROUP BY ALL
),
d AS (
  SELECT id, count(*) AS bursts, sum(denied) AS denied_calls, max(services) AS max_services,
    list({'hour': event_hour, 'denied_calls': denied, 'services': services, 'sample_actions': sample_actions, 'source_ips': source_ips, 'clients': clients}
      ORDER BY event_hour)[1:10] AS burst_list,
    min(event_hour) AS first_seen, max(event_hour) + INTERVAL 1 HOUR AS last_seen
  FROM denied_hours WHERE denied >= $min_denied_burst AND services >= $min_denied_services
  GROUP BY id
)
SELECT
  s.kind AS subject_type,
  s.id AS subject_id,
  s.account AS account_id,
  s.arn AS principal_arn,
  least(w.first_seen, d.first_seen) AS first_seen,
  greatest(w.last_seen, d.last_seen) AS last_seen,
  CASE WHEN coalesce(w.strong_ok, false) AND s.classification = 'agent' THEN 'critical'
       WHEN coalesce(w.self_grant, false) THEN 'critical'
       WHEN coalesce(w.ok_writes, 0) + coalesce(w.passes, 0) > 0 THEN 'high'
       ELSE 'medium' END AS severity,
  format('{} {} ({}) {}', replace(s.kind, 'iam-', ''), s.name, s.classification, array_to_string(list_filter([
      CASE WHEN coalesce(w.ok_writes, 0) > 0 THEN 'made ' || w.ok_writes || ' IAM change(s) at run time (' || array_to_string(w.actions[1:5], ', ') || ')'
        || CASE WHEN w.self_grant THEN ', granting itself permissions' ELSE '' END END,
      CASE WHEN coalesce(w.passes, 0) > 0 THEN 'passed a role to new compute: ' || array_to_string(w.passed[1:3], ', ') END,
      CASE WHEN coalesce(w.failed_writes, 0) > 0 THEN 'attempted ' || w.failed_writes || ' IAM change(s) that failed (' || array_to_string(w.denied_actions[1:4], ', ') || ')' END,
      CASE WHEN d.bursts > 0 THEN 'hit ' || d.bursts || ' burst(s) of AccessDenied (' || d.denied_calls || ' calls, up to ' || d.max_services || ' services in one hour)' END,
      CASE WHEN len(coalesce(w.tools, [])) > 0 THEN 'client: ' || array_to_string(w.tools, ', ') END,
      CASE WHEN NOT s.in_iam THEN 'not in the IAM export (deleted since, or not exported)' END
    ], x -> x IS NOT NULL), '; ')) AS reason,
  {
    'name': s.name,
    'classification': s.classification,
    'in_iam_export': s.in_iam,
    'tools': coalesce(w.tools, []),
    'iam_changes': coalesce(w.iam_changes, []),
    'granted_itself': coalesce(w.self_grant, false),
    'successful_changes': coalesce(w.ok_writes, 0),
    'roles_passed_to_new_compute': coalesce(w.passed, []),
    'denied_changes': coalesce(w.failed_writes, 0),
    'denied_bursts': coalesce(d.burst_list, []),
    'denied_calls_in_bursts': coalesce(d.denied_calls, 0),
    'thresholds': {'min_denied_burst': $min_denied_burst, 'min_denied_services': $min_denied_services},
    'commands': CASE s.kind
      WHEN 'iam-role' THEN ['aws iam list-role-policies --role-name ' || s.name, 'aws iam list-attached-role-policies --role-name ' || s.name,
        'aws iam put-role-permissions-boundary --role-name ' || s.name || ' --permissions-boundary arn:aws:iam::' || s.account || ':policy/<boundary-denying-iam-writes>']
      ELSE ['aws iam list-user-policies --user-name ' || s.name, 'aws iam list-access-keys --user-name ' || s.name,
        'aws iam put-user-permissions-boundary --user-name ' || s.name || ' --permissions-boundary arn:aws:iam::' || s.account || ':policy/<boundary-denying-iam-writes>'] END
  } AS evidence
FROM subj s
LEFT JOIN w ON w.id = s.id
LEFT JOIN d ON d.id = s.id
WHERE w.id IS NOT NULL OR d.id IS NOT NULL
ORDER BY subject_id
