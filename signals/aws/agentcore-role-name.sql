/*---
id: aws/agentcore-role-name
signal: AgentCore role name
class: agent
weight: 40
reads: [identities_base]
meaning: >-
  The name the AgentCore starter toolkit or the Bedrock console gives an agent's execution role.
---*/
SELECT id, name AS detail FROM identities_base
WHERE name SIMILAR TO '(AmazonBedrockAgentCoreSDK|AgentCoreEvalsSDK|AmazonBedrockExecutionRoleForAgents_).*'
