/*---
id: aws/trusted-by-agent-service
signal: trusted by an AI agent service
class: agent
weight: 60
reads: [identities_base, trusts]
meaning: >-
  The role's trust policy lets Bedrock or Bedrock AgentCore assume it: an agent runs as this role.
absent: not trusted by bedrock/bedrock-agentcore
---*/
SELECT ib.id, 'trust policy allows ' || t.principal AS detail
FROM identities_base ib JOIN trusts t ON t.role_arn = ib.arn
WHERE t.effect = 'Allow' AND t.principal_type = 'Service' AND t.principal IN ('bedrock.amazonaws.com', 'bedrock-agentcore.amazonaws.com')
