/**
 * Published IAM privilege-escalation methods, as data. The escalation graph (privesc-graph.ts) evaluates
 * each method's steps with the policy evaluator (src/iam-eval) and chains them; the
 * aws/privilege-escalation detector reads what it found. Every method names its source.
 *
 * A method is one hop. Its `kind` says what the hop reaches:
 *   self         the principal itself becomes administrator (or can make another principal administrator:
 *                the `other-*` / `any-policy` targets), e.g. PutUserPolicy on itself
 *   credentials  it gets credentials of another user (CreateAccessKey, login profiles)
 *   trust        it rewrites a role's trust policy, then assumes the role
 *   pass-role    it passes a role to new compute it controls (the role must trust `service`)
 *   compute      it takes over existing compute that may run as a role trusting `service`
 *   assume       sts:AssumeRole (trust policy ∧ the caller's permission, evaluated)
 *
 * Step targets, i.e. which resources the step's action is evaluated on (one allowed candidate suffices):
 *   self-user / self-role   the principal's own ARN      other-user / other-role   any other user / role of the account
 *   own-group / other-group  its groups / any group       admin-group   a group whose policies grant administrator
 *   own-policy / any-policy  a customer-managed policy attached to it / to anyone (AWS-managed policies never)
 *   target                  the role or user the hop reaches
 *   new                     a resource it creates        existing   an existing resource it does not name (needs `*`)
 */
export type StepTarget = 'self-user' | 'self-role' | 'other-user' | 'other-role' | 'own-group' | 'other-group' | 'admin-group'
  | 'own-policy' | 'any-policy' | 'target' | 'new' | 'existing';

/** What a hop reaches. */
export type MethodKind = 'self' | 'credentials' | 'trust' | 'pass-role' | 'compute' | 'assume';

/** One escalation method: every step must be allowed. */
export interface PrivescMethod {
  id: string;
  title: string;
  kind: MethodKind;
  /** Severity before it follows the subject; a chain takes its weakest hop's. */
  severity: 'medium' | 'high' | 'critical';
  steps: { action: string; on: readonly StepTarget[] }[];
  /** pass-role and compute: the service principal the role must trust (also what iam:PassedToService sees). */
  service?: string;
  /** The compute is an EC2 instance: the role must have an instance profile. */
  instanceProfile?: boolean;
  /** How the method is used, in one sentence a reviewer can check. */
  how: string;
  reference: string;
}

const RHINO = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/';
const BISHOPFOX = 'https://bishopfox.com/blog/privilege-escalation-in-aws';
const PATHFINDING = 'https://pathfinding.cloud/';
const AWS_ASSUME = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html';

const step = (action: string, ...on: StepTarget[]) => ({ action, on });
const passRole = step('iam:PassRole', 'target');

/** The catalogue. Ids are stable (they appear in findings); never reuse one. */
export const PRIVESC_METHODS: readonly PrivescMethod[] = [
  // --- the principal changes its own permissions (Rhino 1-13) ---
  { id: 'create-policy-version', title: 'Rewrite a managed policy (CreatePolicyVersion)', kind: 'self', severity: 'critical',
    steps: [step('iam:CreatePolicyVersion', 'own-policy', 'any-policy')],
    how: 'Create a new default version of a customer-managed policy attached to itself (or to another principal) that allows *:*.', reference: RHINO },
  { id: 'set-default-policy-version', title: 'Roll a managed policy back to a broader version (SetDefaultPolicyVersion)', kind: 'self', severity: 'high',
    steps: [step('iam:SetDefaultPolicyVersion', 'own-policy', 'any-policy')],
    how: 'Make an older, broader version of a customer-managed policy attached to itself the default one.', reference: RHINO },
  { id: 'attach-user-policy', title: 'Attach any managed policy to a user (AttachUserPolicy)', kind: 'self', severity: 'critical',
    steps: [step('iam:AttachUserPolicy', 'self-user', 'other-user')],
    how: 'Attach AdministratorAccess to itself, or to any user of the account.', reference: RHINO },
  { id: 'attach-group-policy', title: 'Attach any managed policy to a group (AttachGroupPolicy)', kind: 'self', severity: 'critical',
    steps: [step('iam:AttachGroupPolicy', 'own-group', 'other-group')],
    how: 'Attach AdministratorAccess to a group it belongs to, or to any group.', reference: RHINO },
  { id: 'attach-role-policy', title: 'Attach any managed policy to a role (AttachRolePolicy)', kind: 'self', severity: 'critical',
    steps: [step('iam:AttachRolePolicy', 'self-role', 'other-role')],
    how: 'Attach AdministratorAccess to its own role, or to any role.', reference: RHINO },
  { id: 'put-user-policy', title: 'Write inline policies on a user (PutUserPolicy)', kind: 'self', severity: 'critical',
    steps: [step('iam:PutUserPolicy', 'self-user', 'other-user')],
    how: 'Write an inline policy allowing *:* on itself, or on any user.', reference: RHINO },
  { id: 'put-group-policy', title: 'Write inline policies on a group (PutGroupPolicy)', kind: 'self', severity: 'critical',
    steps: [step('iam:PutGroupPolicy', 'own-group', 'other-group')],
    how: 'Write an inline policy allowing *:* on a group it belongs to, or on any group.', reference: RHINO },
  { id: 'put-role-policy', title: 'Write inline policies on a role (PutRolePolicy)', kind: 'self', severity: 'critical',
    steps: [step('iam:PutRolePolicy', 'self-role', 'other-role')],
    how: 'Write an inline policy allowing *:* on its own role, or on any role.', reference: RHINO },
  { id: 'add-user-to-group', title: 'Join a privileged group (AddUserToGroup)', kind: 'self', severity: 'high',
    steps: [step('iam:AddUserToGroup', 'admin-group')],
    how: 'Add itself (or any user) to a group whose policies grant administrator.', reference: RHINO },
  // --- credentials of another user ---
  { id: 'create-access-key', title: 'Mint access keys for another user (CreateAccessKey)', kind: 'credentials', severity: 'critical',
    steps: [step('iam:CreateAccessKey', 'target')],
    how: 'Create a long-lived access key for a more privileged user and act as that user.', reference: RHINO },
  { id: 'create-login-profile', title: 'Give another user a console password (CreateLoginProfile)', kind: 'credentials', severity: 'critical',
    steps: [step('iam:CreateLoginProfile', 'target')],
    how: 'Set a console password on a privileged user that has none and sign in as that user.', reference: RHINO },
  { id: 'update-login-profile', title: "Reset another user's console password (UpdateLoginProfile)", kind: 'credentials', severity: 'critical',
    steps: [step('iam:UpdateLoginProfile', 'target')],
    how: "Change a privileged user's console password and sign in as that user.", reference: RHINO },
  // --- roles ---
  { id: 'update-assume-role-policy', title: "Rewrite a role's trust policy (UpdateAssumeRolePolicy)", kind: 'trust', severity: 'critical',
    steps: [step('iam:UpdateAssumeRolePolicy', 'target')],
    how: 'Change the trust policy of a privileged role to name itself, then assume it (same account: no further permission needed).', reference: RHINO },
  { id: 'assume-role', title: 'Assume a role (sts:AssumeRole)', kind: 'assume', severity: 'critical', steps: [step('sts:AssumeRole', 'target')],
    how: "The role's trust policy admits it and its own policies allow sts:AssumeRole (same account: a trust naming it is enough).", reference: AWS_ASSUME },
  // --- pass a role to new compute it controls ---
  { id: 'passrole-ec2', title: 'Pass a role to a new EC2 instance (PassRole + RunInstances)', kind: 'pass-role', severity: 'high', service: 'ec2.amazonaws.com', instanceProfile: true,
    steps: [passRole, step('ec2:RunInstances', 'new')],
    how: "Launch an instance with the role's instance profile and read its credentials from the instance metadata.", reference: RHINO },
  { id: 'passrole-ec2-associate-profile', title: 'Attach a role to a running instance (PassRole + AssociateIamInstanceProfile)', kind: 'pass-role', severity: 'high', service: 'ec2.amazonaws.com', instanceProfile: true,
    steps: [passRole, step('ec2:AssociateIamInstanceProfile', 'existing')],
    how: "Associate the role's instance profile with an instance it can reach and read the credentials there.", reference: PATHFINDING },
  { id: 'passrole-ec2-replace-profile', title: "Swap a running instance's role (PassRole + ReplaceIamInstanceProfileAssociation)", kind: 'pass-role', severity: 'high', service: 'ec2.amazonaws.com', instanceProfile: true,
    steps: [passRole, step('ec2:ReplaceIamInstanceProfileAssociation', 'existing')],
    how: "Replace an instance's profile with the privileged role's and read the credentials on the instance.", reference: PATHFINDING },
  { id: 'passrole-add-role-to-instance-profile', title: 'Put a role into an instance profile (PassRole + AddRoleToInstanceProfile)', kind: 'pass-role', severity: 'high', service: 'ec2.amazonaws.com',
    steps: [passRole, step('iam:AddRoleToInstanceProfile', 'existing')],
    how: 'Add the privileged role to an (empty) instance profile used by an instance it can reach.', reference: PATHFINDING },
  { id: 'passrole-autoscaling', title: 'Pass a role to new Auto Scaling instances', kind: 'pass-role', severity: 'high', service: 'ec2.amazonaws.com', instanceProfile: true,
    steps: [passRole, step('autoscaling:CreateLaunchConfiguration', 'new'), step('autoscaling:CreateAutoScalingGroup', 'new')],
    how: "Create a launch configuration with the role's instance profile and a group that starts instances from it.", reference: PATHFINDING },
  { id: 'passrole-lambda-invoke', title: 'Pass a role to a new Lambda function and invoke it', kind: 'pass-role', severity: 'high', service: 'lambda.amazonaws.com',
    steps: [passRole, step('lambda:CreateFunction', 'new'), step('lambda:InvokeFunction', 'new')],
    how: 'Create a function running as the role with its own code, then invoke it.', reference: RHINO },
  { id: 'passrole-lambda-event-source', title: 'Pass a role to a new Lambda function triggered by an event source', kind: 'pass-role', severity: 'high', service: 'lambda.amazonaws.com',
    steps: [passRole, step('lambda:CreateFunction', 'new'), step('lambda:CreateEventSourceMapping', 'new')],
    how: 'Create a function running as the role and trigger it from a DynamoDB stream or queue instead of invoking it.', reference: RHINO },
  { id: 'passrole-glue-dev-endpoint', title: 'Pass a role to a new Glue development endpoint', kind: 'pass-role', severity: 'high', service: 'glue.amazonaws.com',
    steps: [passRole, step('glue:CreateDevEndpoint', 'new')],
    how: 'Create a dev endpoint running as the role and SSH into it.', reference: RHINO },
  { id: 'passrole-cloudformation', title: 'Pass a role to a new CloudFormation stack', kind: 'pass-role', severity: 'high', service: 'cloudformation.amazonaws.com',
    steps: [passRole, step('cloudformation:CreateStack', 'new')],
    how: "Create a stack whose service role is the privileged role; the template creates whatever it wants.", reference: RHINO },
  { id: 'passrole-datapipeline', title: 'Pass a role to a new Data Pipeline', kind: 'pass-role', severity: 'high', service: 'datapipeline.amazonaws.com',
    steps: [passRole, step('datapipeline:CreatePipeline', 'new'), step('datapipeline:PutPipelineDefinition', 'new'), step('datapipeline:ActivatePipeline', 'new')],
    how: 'Define a pipeline that runs shell commands as the role.', reference: RHINO },
  { id: 'passrole-sagemaker-notebook', title: 'Pass a role to a new SageMaker notebook', kind: 'pass-role', severity: 'high', service: 'sagemaker.amazonaws.com',
    steps: [passRole, step('sagemaker:CreateNotebookInstance', 'new'), step('sagemaker:CreatePresignedNotebookInstanceUrl', 'new')],
    how: 'Create a notebook running as the role and open it through a presigned URL.', reference: BISHOPFOX },
  { id: 'passrole-sagemaker-processing-job', title: 'Pass a role to a new SageMaker processing job', kind: 'pass-role', severity: 'high', service: 'sagemaker.amazonaws.com',
    steps: [passRole, step('sagemaker:CreateProcessingJob', 'new')],
    how: 'Start a processing job running as the role with a container or entrypoint of its choosing.', reference: BISHOPFOX },
  { id: 'passrole-sagemaker-training-job', title: 'Pass a role to a new SageMaker training job', kind: 'pass-role', severity: 'high', service: 'sagemaker.amazonaws.com',
    steps: [passRole, step('sagemaker:CreateTrainingJob', 'new')],
    how: 'Start a training job running as the role with a container or script of its choosing.', reference: BISHOPFOX },
  { id: 'passrole-codebuild', title: 'Pass a role to a new CodeBuild project', kind: 'pass-role', severity: 'high', service: 'codebuild.amazonaws.com',
    steps: [passRole, step('codebuild:CreateProject', 'new'), step('codebuild:StartBuild', 'new')],
    how: 'Create a build project with the role as service role and a buildspec that runs its commands.', reference: BISHOPFOX },
  { id: 'passrole-ecs', title: 'Pass a role to a new ECS task', kind: 'pass-role', severity: 'high', service: 'ecs-tasks.amazonaws.com',
    steps: [passRole, step('ecs:RegisterTaskDefinition', 'new'), step('ecs:RunTask', 'new')],
    how: 'Register a task definition with the role as task role and run it.', reference: PATHFINDING },
  // --- take over existing compute that may run as a privileged role ---
  { id: 'lambda-update-code', title: "Replace a Lambda function's code (UpdateFunctionCode)", kind: 'compute', severity: 'high', service: 'lambda.amazonaws.com',
    steps: [step('lambda:UpdateFunctionCode', 'existing')],
    how: 'Overwrite the code of an existing function whose execution role is privileged; it runs on its next trigger.', reference: RHINO },
  { id: 'lambda-update-configuration', title: "Change a Lambda function's configuration (UpdateFunctionConfiguration)", kind: 'compute', severity: 'high', service: 'lambda.amazonaws.com',
    steps: [step('lambda:UpdateFunctionConfiguration', 'existing')],
    how: 'Add a layer or a runtime wrapper of its own to an existing function whose execution role is privileged.', reference: PATHFINDING },
  { id: 'glue-update-dev-endpoint', title: 'Take over a Glue development endpoint (UpdateDevEndpoint)', kind: 'compute', severity: 'high', service: 'glue.amazonaws.com',
    steps: [step('glue:UpdateDevEndpoint', 'existing')],
    how: "Add its own SSH key to an existing endpoint and use the endpoint's role.", reference: RHINO },
  { id: 'cloudformation-update-stack', title: 'Update a stack that runs as a privileged role (UpdateStack)', kind: 'compute', severity: 'high', service: 'cloudformation.amazonaws.com',
    steps: [step('cloudformation:UpdateStack', 'existing')],
    how: 'Update an existing stack whose service role is privileged with a template of its own (SetStackPolicy lifts a stack policy in the way).', reference: BISHOPFOX },
  { id: 'cloudformation-change-set', title: 'Run a change set on a stack that runs as a privileged role', kind: 'compute', severity: 'high', service: 'cloudformation.amazonaws.com',
    steps: [step('cloudformation:CreateChangeSet', 'existing'), step('cloudformation:ExecuteChangeSet', 'existing')],
    how: 'Create and execute a change set with a template of its own on a stack whose service role is privileged.', reference: PATHFINDING },
  { id: 'codebuild-start-build', title: 'Run an existing CodeBuild project with its own buildspec (StartBuild)', kind: 'compute', severity: 'high', service: 'codebuild.amazonaws.com',
    steps: [step('codebuild:StartBuild', 'existing')],
    how: 'Start a build of an existing project whose service role is privileged, overriding the buildspec.', reference: PATHFINDING },
  { id: 'ecs-run-task', title: 'Run an existing ECS task definition with its own command (RunTask)', kind: 'compute', severity: 'high', service: 'ecs-tasks.amazonaws.com',
    steps: [step('ecs:RunTask', 'existing')],
    how: 'Run an existing task definition whose task role is privileged with a command override.', reference: PATHFINDING },
  { id: 'sagemaker-presigned-notebook-url', title: 'Open an existing SageMaker notebook (CreatePresignedNotebookInstanceUrl)', kind: 'compute', severity: 'high', service: 'sagemaker.amazonaws.com',
    steps: [step('sagemaker:CreatePresignedNotebookInstanceUrl', 'existing')],
    how: "Open a notebook running as a privileged role and use its credentials from the notebook's terminal.", reference: BISHOPFOX },
  { id: 'ssm-send-command', title: 'Run commands on a managed instance (SSM SendCommand)', kind: 'compute', severity: 'medium', service: 'ec2.amazonaws.com', instanceProfile: true,
    steps: [step('ssm:SendCommand', 'existing')],
    how: "Run a shell command on an instance with a privileged instance profile and use its credentials.", reference: BISHOPFOX },
  { id: 'ssm-start-session', title: 'Open a shell on a managed instance (SSM StartSession)', kind: 'compute', severity: 'medium', service: 'ec2.amazonaws.com', instanceProfile: true,
    steps: [step('ssm:StartSession', 'existing')],
    how: 'Open a Session Manager shell on an instance with a privileged instance profile and use its credentials.', reference: BISHOPFOX },
  { id: 'ec2-instance-connect', title: 'Push an SSH key to an instance (EC2 Instance Connect)', kind: 'compute', severity: 'medium', service: 'ec2.amazonaws.com', instanceProfile: true,
    steps: [step('ec2-instance-connect:SendSSHPublicKey', 'existing')],
    how: 'Push a one-time SSH key to an instance with a privileged instance profile, log in and use its credentials.', reference: BISHOPFOX },
  { id: 'ec2-serial-console', title: "Push an SSH key to an instance's serial console", kind: 'compute', severity: 'medium', service: 'ec2.amazonaws.com', instanceProfile: true,
    steps: [step('ec2-instance-connect:SendSerialConsoleSSHPublicKey', 'existing')],
    how: "Connect to the serial console of an instance with a privileged instance profile and use its credentials.", reference: BISHOPFOX },
];

/** Rows for the `privesc_paths` reference table, one per required action (kept for user detectors). */
export function privescRows(): unknown[][] {
  return PRIVESC_METHODS.flatMap((p) => p.steps.map((s) => [p.id, p.title, p.severity, p.steps.length, s.action, s.on.join(','), p.service ?? null, p.how, p.reference]));
}
