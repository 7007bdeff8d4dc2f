/*---
id: aws/trusted-by-compute-service
signal: trusted by a compute service
class: workload
weight: 30
reads: [identities_base, trusts]
meaning: >-
  The role's trust policy lets a compute service (Lambda, EC2, ECS, Step Functions, Glue, CodeBuild, Batch, SageMaker, EventBridge, EKS pods) assume it.
---*/
SELECT ib.id, 'trust policy allows ' || t.principal AS detail
FROM identities_base ib JOIN trusts t ON t.role_arn = ib.arn
WHERE t.effect = 'Allow' AND t.principal_type = 'Service'
  AND t.principal IN ('lambda.amazonaws.com', 'ec2.amazonaws.com', 'ecs-tasks.amazonaws.com', 'states.amazonaws.com', 'glue.amazonaws.com',
    'codebuild.amazonaws.com', 'batch.amazonaws.com', 'sagemaker.amazonaws.com', 'scheduler.amazonaws.com', 'events.amazonaws.com', 'pods.eks.amazonaws.com')
