/**
 * The single-hop aws/privilege-escalation as it was before the escalation graph (issue 15): its detector SELECT
 * and path table, kept only so bench/privesc measures the graph against it on the same data in the same run.
 * Not used by scans.
 */

/** The former path table (privesc_paths rows: path_id, title, severity, steps, action, target, passed_to, how, reference). */
export const SINGLE_HOP_V1_ROWS: readonly (readonly (string | number | null)[])[] = [
  ["create-policy-version", "Rewrite a managed policy (CreatePolicyVersion)", "critical", 1, "iam:CreatePolicyVersion", "any", null, "Create a new default version of a policy attached to itself (or to a role it can use) that allows *:*.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["set-default-policy-version", "Roll a managed policy back to a broader version (SetDefaultPolicyVersion)", "high", 1, "iam:SetDefaultPolicyVersion", "any", null, "Make an older, broader version of an attached policy the default one.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["create-access-key", "Mint access keys for other users (CreateAccessKey)", "critical", 1, "iam:CreateAccessKey", "others", null, "Create a long-lived access key for a more privileged user and act as that user.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["create-login-profile", "Give other users a console password (CreateLoginProfile)", "critical", 1, "iam:CreateLoginProfile", "others", null, "Set a console password on a user that has none and sign in as that user.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["update-login-profile", "Reset other users' console passwords (UpdateLoginProfile)", "critical", 1, "iam:UpdateLoginProfile", "others", null, "Change another user's console password and sign in as that user.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["attach-user-policy", "Attach any managed policy to a user (AttachUserPolicy)", "critical", 1, "iam:AttachUserPolicy", "any", null, "Attach AdministratorAccess to itself or to a user whose credentials it holds.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["attach-group-policy", "Attach any managed policy to a group (AttachGroupPolicy)", "critical", 1, "iam:AttachGroupPolicy", "any", null, "Attach AdministratorAccess to a group it (or a user it controls) belongs to.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["attach-role-policy", "Attach any managed policy to a role (AttachRolePolicy)", "critical", 1, "iam:AttachRolePolicy", "any", null, "Attach AdministratorAccess to its own role or to a role it can assume.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["put-user-policy", "Write inline policies on a user (PutUserPolicy)", "critical", 1, "iam:PutUserPolicy", "any", null, "Write an inline policy allowing *:* on itself or on a user it controls.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["put-group-policy", "Write inline policies on a group (PutGroupPolicy)", "critical", 1, "iam:PutGroupPolicy", "any", null, "Write an inline policy allowing *:* on a group it belongs to.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["put-role-policy", "Write inline policies on a role (PutRolePolicy)", "critical", 1, "iam:PutRolePolicy", "any", null, "Write an inline policy allowing *:* on its own role or on a role it can assume.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["add-user-to-group", "Join a privileged group (AddUserToGroup)", "high", 1, "iam:AddUserToGroup", "any", null, "Add itself (or a user it controls) to an administrators group.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["update-assume-role-policy", "Rewrite a role's trust policy (UpdateAssumeRolePolicy)", "critical", 1, "iam:UpdateAssumeRolePolicy", "any", null, "Change the trust policy of a privileged role so that it can assume it.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-ec2", "Pass a role to a new EC2 instance (PassRole + RunInstances)", "high", 2, "iam:PassRole", "role", "ec2.amazonaws.com", "Launch an instance with a privileged instance profile and read its credentials from the instance metadata.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-ec2", "Pass a role to a new EC2 instance (PassRole + RunInstances)", "high", 2, "ec2:RunInstances", "any", "ec2.amazonaws.com", "Launch an instance with a privileged instance profile and read its credentials from the instance metadata.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-lambda-invoke", "Pass a role to a new Lambda function and invoke it", "high", 3, "iam:PassRole", "role", "lambda.amazonaws.com", "Create a function running as a privileged role with its own code, then invoke it.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-lambda-invoke", "Pass a role to a new Lambda function and invoke it", "high", 3, "lambda:CreateFunction", "any", "lambda.amazonaws.com", "Create a function running as a privileged role with its own code, then invoke it.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-lambda-invoke", "Pass a role to a new Lambda function and invoke it", "high", 3, "lambda:InvokeFunction", "any", "lambda.amazonaws.com", "Create a function running as a privileged role with its own code, then invoke it.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-lambda-event-source", "Pass a role to a new Lambda function triggered by an event source", "high", 3, "iam:PassRole", "role", "lambda.amazonaws.com", "Create a function running as a privileged role and trigger it from a DynamoDB stream or queue instead of invoking it.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-lambda-event-source", "Pass a role to a new Lambda function triggered by an event source", "high", 3, "lambda:CreateFunction", "any", "lambda.amazonaws.com", "Create a function running as a privileged role and trigger it from a DynamoDB stream or queue instead of invoking it.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-lambda-event-source", "Pass a role to a new Lambda function triggered by an event source", "high", 3, "lambda:CreateEventSourceMapping", "any", "lambda.amazonaws.com", "Create a function running as a privileged role and trigger it from a DynamoDB stream or queue instead of invoking it.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["lambda-update-code", "Replace any Lambda function's code (UpdateFunctionCode)", "high", 1, "lambda:UpdateFunctionCode", "all", null, "Overwrite the code of an existing function whose execution role is more privileged.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-glue-dev-endpoint", "Pass a role to a new Glue development endpoint", "high", 2, "iam:PassRole", "role", "glue.amazonaws.com", "Create a dev endpoint running as a privileged role and SSH into it.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-glue-dev-endpoint", "Pass a role to a new Glue development endpoint", "high", 2, "glue:CreateDevEndpoint", "any", "glue.amazonaws.com", "Create a dev endpoint running as a privileged role and SSH into it.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["glue-update-dev-endpoint", "Take over any Glue development endpoint (UpdateDevEndpoint)", "high", 1, "glue:UpdateDevEndpoint", "all", null, "Add its own SSH key to an existing endpoint and use the endpoint's role.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-cloudformation", "Pass a role to a new CloudFormation stack", "high", 2, "iam:PassRole", "role", "cloudformation.amazonaws.com", "Create a stack whose service role is privileged; the template creates whatever it wants.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-cloudformation", "Pass a role to a new CloudFormation stack", "high", 2, "cloudformation:CreateStack", "any", "cloudformation.amazonaws.com", "Create a stack whose service role is privileged; the template creates whatever it wants.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-datapipeline", "Pass a role to a new Data Pipeline", "high", 4, "iam:PassRole", "role", "datapipeline.amazonaws.com", "Define a pipeline that runs shell commands as a privileged role.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-datapipeline", "Pass a role to a new Data Pipeline", "high", 4, "datapipeline:CreatePipeline", "any", "datapipeline.amazonaws.com", "Define a pipeline that runs shell commands as a privileged role.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-datapipeline", "Pass a role to a new Data Pipeline", "high", 4, "datapipeline:PutPipelineDefinition", "any", "datapipeline.amazonaws.com", "Define a pipeline that runs shell commands as a privileged role.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-datapipeline", "Pass a role to a new Data Pipeline", "high", 4, "datapipeline:ActivatePipeline", "any", "datapipeline.amazonaws.com", "Define a pipeline that runs shell commands as a privileged role.", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
  ["passrole-sagemaker-notebook", "Pass a role to a new SageMaker notebook", "high", 3, "iam:PassRole", "role", "sagemaker.amazonaws.com", "Create a notebook running as a privileged role and open it through a presigned URL.", "https://pathfinding.cloud/"],
  ["passrole-sagemaker-notebook", "Pass a role to a new SageMaker notebook", "high", 3, "sagemaker:CreateNotebookInstance", "any", "sagemaker.amazonaws.com", "Create a notebook running as a privileged role and open it through a presigned URL.", "https://pathfinding.cloud/"],
  ["passrole-sagemaker-notebook", "Pass a role to a new SageMaker notebook", "high", 3, "sagemaker:CreatePresignedNotebookInstanceUrl", "any", "sagemaker.amazonaws.com", "Create a notebook running as a privileged role and open it through a presigned URL.", "https://pathfinding.cloud/"],
  ["passrole-codebuild", "Pass a role to a new CodeBuild project", "high", 3, "iam:PassRole", "role", "codebuild.amazonaws.com", "Create a build project with a privileged service role and a buildspec that runs its commands.", "https://pathfinding.cloud/"],
  ["passrole-codebuild", "Pass a role to a new CodeBuild project", "high", 3, "codebuild:CreateProject", "any", "codebuild.amazonaws.com", "Create a build project with a privileged service role and a buildspec that runs its commands.", "https://pathfinding.cloud/"],
  ["passrole-codebuild", "Pass a role to a new CodeBuild project", "high", 3, "codebuild:StartBuild", "any", "codebuild.amazonaws.com", "Create a build project with a privileged service role and a buildspec that runs its commands.", "https://pathfinding.cloud/"],
  ["passrole-ecs", "Pass a role to a new ECS task", "high", 3, "iam:PassRole", "role", "ecs-tasks.amazonaws.com", "Register a task definition with a privileged task role and run it.", "https://pathfinding.cloud/"],
  ["passrole-ecs", "Pass a role to a new ECS task", "high", 3, "ecs:RegisterTaskDefinition", "any", "ecs-tasks.amazonaws.com", "Register a task definition with a privileged task role and run it.", "https://pathfinding.cloud/"],
  ["passrole-ecs", "Pass a role to a new ECS task", "high", 3, "ecs:RunTask", "any", "ecs-tasks.amazonaws.com", "Register a task definition with a privileged task role and run it.", "https://pathfinding.cloud/"],
  ["ssm-send-command", "Run commands on any managed instance (SSM SendCommand)", "medium", 1, "ssm:SendCommand", "all", null, "Run a shell command on an instance and use that instance profile's credentials.", "https://pathfinding.cloud/"],
];

/** The former detector's SELECT, reading privesc_paths_v1; binds $include_conditional. */
export const SINGLE_HOP_V1_SQL = `
WITH admins AS (
  SELECT DISTINCT principal_arn FROM grants
  WHERE pattern IN ('*', '*:*') AND resource = '*' AND NOT conditional AND NOT partially_denied
),
privileged_roles AS (
  SELECT DISTINCT g.principal_arn AS role_arn FROM grants g
  WHERE g.principal_type = 'role' AND NOT g.conditional AND NOT g.partially_denied AND g.resource = '*'
    AND (g.pattern IN ('*', '*:*') OR g.access_level = 'Permissions management')
),
usable AS (
  SELECT g.principal_arn, p.path_id, p.title, p.severity, p.steps, p.how, p.passed_to, p.reference, p.action,
    g.action || ' on ' || g.resource || ' (' || g.source_policy || CASE WHEN g.conditional THEN ', conditional' ELSE '' END || ')' AS grant_text,
    CASE WHEN p.target = 'role' THEN (
      SELECT list(r.role_arn ORDER BY r.role_arn) FROM privileged_roles r
      WHERE r.role_arn <> g.principal_arn AND (g.resource = '*' OR starts_with(g.resource, 'NOT:') OR r.role_arn GLOB g.resource)) END AS passable
  FROM privesc_paths_v1 p
  JOIN grants g ON lower(g.action) = lower(p.action)
  WHERE NOT g.partially_denied AND (NOT g.conditional OR $include_conditional)
    AND CASE p.target
      WHEN 'any' THEN true
      WHEN 'others' THEN g.resource NOT LIKE '%\${aws:username}%' AND g.resource <> g.principal_arn
      WHEN 'all' THEN g.resource = '*' OR starts_with(g.resource, 'NOT:') OR regexp_matches(g.resource, '[:/]\\*$')
      WHEN 'role' THEN g.resource = '*' OR starts_with(g.resource, 'NOT:') OR regexp_matches(g.resource, ':role/(.*/)?\\*$')
        OR EXISTS (SELECT 1 FROM privileged_roles r WHERE r.role_arn <> g.principal_arn AND r.role_arn GLOB g.resource)
      ELSE false END
),
paths AS (
  SELECT principal_arn, path_id, any_value(title) AS title, any_value(severity) AS severity, any_value(steps) AS steps, any_value(how) AS how,
    any_value(passed_to) AS passed_to, any_value(reference) AS reference,
    list(DISTINCT grant_text ORDER BY grant_text) AS grants,
    list_sort(list_distinct(flatten(list(coalesce(passable, []))))) AS passable_privileged_roles
  FROM usable
  GROUP BY principal_arn, path_id
  HAVING count(DISTINCT lower(action)) = any_value(steps)
),
exercised AS (
  SELECT principal_arn, list(DISTINCT iam_action ORDER BY iam_action) AS actions
  FROM ct_enriched
  WHERE error_code IS NULL AND lower(iam_action) IN (SELECT lower(action) FROM privesc_paths_v1)
  GROUP BY principal_arn
),
per AS (
  SELECT principal_arn,
    list({'path': path_id, 'title': title, 'how': how, 'grants': grants, 'passed_to': passed_to,
          'passable_privileged_roles': passable_privileged_roles, 'reference': reference}
      ORDER BY list_position(['critical', 'high', 'medium'], severity), steps DESC, path_id) AS paths,
    (['info', 'low', 'medium', 'high', 'critical'])[max(list_position(['info', 'low', 'medium', 'high', 'critical'], severity))] AS worst
  FROM paths GROUP BY principal_arn
)
SELECT
  i.kind AS subject_type,
  i.arn AS subject_id,
  i.account AS account_id,
  i.arn AS principal_arn,
  a.first_seen,
  a.last_seen,
  follow_subject(p.worst, sc.tier) AS severity,
  format('{} {} ({}) can escalate to administrator through {} path(s): {}{}', replace(i.kind, 'iam-', ''), i.name, i.classification,
    len(p.paths), array_to_string(list_transform(p.paths[1:3], x -> x.title), '; '),
    CASE WHEN len(coalesce(e.actions, [])) > 0 THEN '; it called ' || array_to_string(e.actions[1:4], ', ') || ' in the window' ELSE '' END) AS reason,
  {
    'name': i.name,
    'principal_kind': replace(i.kind, 'iam-', ''),
    'classification': i.classification,
    'subject_tier': sc.tier,
    'path_count': len(p.paths),
    'paths': p.paths,
    'escalation_actions_called_in_window': coalesce(e.actions, [])
  } AS evidence
FROM per p
JOIN nhi i ON i.arn = p.principal_arn AND i.kind IN ('iam-user', 'iam-role')
LEFT JOIN subject_context sc ON sc.id = i.id
LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.arn
LEFT JOIN exercised e ON e.principal_arn = i.arn
WHERE i.arn NOT IN (SELECT principal_arn FROM admins)
ORDER BY subject_id
`;
