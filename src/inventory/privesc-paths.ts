/**
 * Published IAM privilege-escalation paths, as data (one table, loaded into `privesc_paths`; the
 * aws/privilege-escalation detector joins grants against it). Sources: Rhino Security Labs'
 * "AWS IAM Privilege Escalation – Methods and Mitigation" (the 21 original methods) and the later
 * PassRole-to-compute variants catalogued by pathfinding.cloud / PMapper's edge checkers.
 *
 * `target` says which resources of a grant make the step usable:
 *   any     — any resource (acting on oneself is already an escalation: PutRolePolicy on one's own role)
 *   others  — a resource other than the principal itself (CreateAccessKey on `user/${aws:username}` is self-service, not escalation)
 *   all     — every resource of the type (`*`, `…:function:*`): the step hijacks an existing resource whose role is unknown
 *   role    — iam:PassRole on `*`, a role wildcard (`…:role/*`), or a named role that is itself privileged
 */
export type PrivescTarget = 'any' | 'others' | 'all' | 'role';

/** One escalation path: every action must be granted (on a usable resource). */
export interface PrivescPath {
  id: string;
  title: string;
  /** Severity before it follows the subject (aws/privilege-escalation takes the worst of a principal's paths). */
  severity: 'medium' | 'high' | 'critical';
  steps: { action: string; target: PrivescTarget }[];
  /** For PassRole paths: the service the role is passed to (what `iam:PassedToService` would have to allow). */
  passedTo?: string;
  /** How the path is used, in one sentence a reviewer can check. */
  how: string;
  reference: string;
}

const RHINO = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/';
const PATHFINDING = 'https://pathfinding.cloud/';

const passRole = { action: 'iam:PassRole', target: 'role' as const };
const any = (action: string) => ({ action, target: 'any' as const });
const others = (action: string) => ({ action, target: 'others' as const });
const all = (action: string) => ({ action, target: 'all' as const });

/** The catalogue. Ids are stable (they appear in findings); never reuse one. */
export const PRIVESC_PATHS: readonly PrivescPath[] = [
  { id: 'create-policy-version', title: 'Rewrite a managed policy (CreatePolicyVersion)', severity: 'critical', steps: [any('iam:CreatePolicyVersion')],
    how: 'Create a new default version of a policy attached to itself (or to a role it can use) that allows *:*.', reference: RHINO },
  { id: 'set-default-policy-version', title: 'Roll a managed policy back to a broader version (SetDefaultPolicyVersion)', severity: 'high', steps: [any('iam:SetDefaultPolicyVersion')],
    how: 'Make an older, broader version of an attached policy the default one.', reference: RHINO },
  { id: 'create-access-key', title: "Mint access keys for other users (CreateAccessKey)", severity: 'critical', steps: [others('iam:CreateAccessKey')],
    how: 'Create a long-lived access key for a more privileged user and act as that user.', reference: RHINO },
  { id: 'create-login-profile', title: 'Give other users a console password (CreateLoginProfile)', severity: 'critical', steps: [others('iam:CreateLoginProfile')],
    how: 'Set a console password on a user that has none and sign in as that user.', reference: RHINO },
  { id: 'update-login-profile', title: "Reset other users' console passwords (UpdateLoginProfile)", severity: 'critical', steps: [others('iam:UpdateLoginProfile')],
    how: "Change another user's console password and sign in as that user.", reference: RHINO },
  { id: 'attach-user-policy', title: 'Attach any managed policy to a user (AttachUserPolicy)', severity: 'critical', steps: [any('iam:AttachUserPolicy')],
    how: 'Attach AdministratorAccess to itself or to a user whose credentials it holds.', reference: RHINO },
  { id: 'attach-group-policy', title: 'Attach any managed policy to a group (AttachGroupPolicy)', severity: 'critical', steps: [any('iam:AttachGroupPolicy')],
    how: 'Attach AdministratorAccess to a group it (or a user it controls) belongs to.', reference: RHINO },
  { id: 'attach-role-policy', title: 'Attach any managed policy to a role (AttachRolePolicy)', severity: 'critical', steps: [any('iam:AttachRolePolicy')],
    how: 'Attach AdministratorAccess to its own role or to a role it can assume.', reference: RHINO },
  { id: 'put-user-policy', title: 'Write inline policies on a user (PutUserPolicy)', severity: 'critical', steps: [any('iam:PutUserPolicy')],
    how: 'Write an inline policy allowing *:* on itself or on a user it controls.', reference: RHINO },
  { id: 'put-group-policy', title: 'Write inline policies on a group (PutGroupPolicy)', severity: 'critical', steps: [any('iam:PutGroupPolicy')],
    how: 'Write an inline policy allowing *:* on a group it belongs to.', reference: RHINO },
  { id: 'put-role-policy', title: 'Write inline policies on a role (PutRolePolicy)', severity: 'critical', steps: [any('iam:PutRolePolicy')],
    how: 'Write an inline policy allowing *:* on its own role or on a role it can assume.', reference: RHINO },
  { id: 'add-user-to-group', title: 'Join a privileged group (AddUserToGroup)', severity: 'high', steps: [any('iam:AddUserToGroup')],
    how: 'Add itself (or a user it controls) to an administrators group.', reference: RHINO },
  { id: 'update-assume-role-policy', title: "Rewrite a role's trust policy (UpdateAssumeRolePolicy)", severity: 'critical', steps: [any('iam:UpdateAssumeRolePolicy')],
    how: 'Change the trust policy of a privileged role so that it can assume it.', reference: RHINO },
  { id: 'passrole-ec2', title: 'Pass a role to a new EC2 instance (PassRole + RunInstances)', severity: 'high', passedTo: 'ec2.amazonaws.com',
    steps: [passRole, any('ec2:RunInstances')],
    how: 'Launch an instance with a privileged instance profile and read its credentials from the instance metadata.', reference: RHINO },
  { id: 'passrole-lambda-invoke', title: 'Pass a role to a new Lambda function and invoke it', severity: 'high', passedTo: 'lambda.amazonaws.com',
    steps: [passRole, any('lambda:CreateFunction'), any('lambda:InvokeFunction')],
    how: 'Create a function running as a privileged role with its own code, then invoke it.', reference: RHINO },
  { id: 'passrole-lambda-event-source', title: 'Pass a role to a new Lambda function triggered by an event source', severity: 'high', passedTo: 'lambda.amazonaws.com',
    steps: [passRole, any('lambda:CreateFunction'), any('lambda:CreateEventSourceMapping')],
    how: 'Create a function running as a privileged role and trigger it from a DynamoDB stream or queue instead of invoking it.', reference: RHINO },
  { id: 'lambda-update-code', title: "Replace any Lambda function's code (UpdateFunctionCode)", severity: 'high',
    steps: [all('lambda:UpdateFunctionCode')],
    how: 'Overwrite the code of an existing function whose execution role is more privileged.', reference: RHINO },
  { id: 'passrole-glue-dev-endpoint', title: 'Pass a role to a new Glue development endpoint', severity: 'high', passedTo: 'glue.amazonaws.com',
    steps: [passRole, any('glue:CreateDevEndpoint')],
    how: 'Create a dev endpoint running as a privileged role and SSH into it.', reference: RHINO },
  { id: 'glue-update-dev-endpoint', title: 'Take over any Glue development endpoint (UpdateDevEndpoint)', severity: 'high',
    steps: [all('glue:UpdateDevEndpoint')],
    how: "Add its own SSH key to an existing endpoint and use the endpoint's role.", reference: RHINO },
  { id: 'passrole-cloudformation', title: 'Pass a role to a new CloudFormation stack', severity: 'high', passedTo: 'cloudformation.amazonaws.com',
    steps: [passRole, any('cloudformation:CreateStack')],
    how: 'Create a stack whose service role is privileged; the template creates whatever it wants.', reference: RHINO },
  { id: 'passrole-datapipeline', title: 'Pass a role to a new Data Pipeline', severity: 'high', passedTo: 'datapipeline.amazonaws.com',
    steps: [passRole, any('datapipeline:CreatePipeline'), any('datapipeline:PutPipelineDefinition'), any('datapipeline:ActivatePipeline')],
    how: 'Define a pipeline that runs shell commands as a privileged role.', reference: RHINO },
  { id: 'passrole-sagemaker-notebook', title: 'Pass a role to a new SageMaker notebook', severity: 'high', passedTo: 'sagemaker.amazonaws.com',
    steps: [passRole, any('sagemaker:CreateNotebookInstance'), any('sagemaker:CreatePresignedNotebookInstanceUrl')],
    how: 'Create a notebook running as a privileged role and open it through a presigned URL.', reference: PATHFINDING },
  { id: 'passrole-codebuild', title: 'Pass a role to a new CodeBuild project', severity: 'high', passedTo: 'codebuild.amazonaws.com',
    steps: [passRole, any('codebuild:CreateProject'), any('codebuild:StartBuild')],
    how: 'Create a build project with a privileged service role and a buildspec that runs its commands.', reference: PATHFINDING },
  { id: 'passrole-ecs', title: 'Pass a role to a new ECS task', severity: 'high', passedTo: 'ecs-tasks.amazonaws.com',
    steps: [passRole, any('ecs:RegisterTaskDefinition'), any('ecs:RunTask')],
    how: 'Register a task definition with a privileged task role and run it.', reference: PATHFINDING },
  { id: 'ssm-send-command', title: 'Run commands on any managed instance (SSM SendCommand)', severity: 'medium',
    steps: [all('ssm:SendCommand')],
    how: "Run a shell command on an instance and use that instance profile's credentials.", reference: PATHFINDING },
];

/** Rows for the `privesc_paths` table, one per required action. */
export function privescRows(): unknown[][] {
  return PRIVESC_PATHS.flatMap((p) => p.steps.map((s) => [p.id, p.title, p.severity, p.steps.length, s.action, s.target, p.passedTo ?? null, p.how, p.reference]));
}
