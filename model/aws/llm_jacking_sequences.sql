/*---
name: llm_jacking_sequences
kind: table
reads: [ct_enriched]
params: []
summary: >-
  Identities whose first model call came after they enabled model access themselves: the LLM-jacking sequence
  (judged by aws/llm-jacking), which is not evidence of an agent.
---*/
CREATE OR REPLACE TABLE llm_jacking_sequences AS
WITH enablers AS (
  SELECT principal_arn AS id, min(first_time) AS enabled_at FROM ct_enriched
  WHERE starts_with(event_source, 'bedrock') AND event_name IN ('PutUseCaseForModelAccess', 'CreateFoundationModelAgreement', 'PutFoundationModelEntitlement')
  GROUP BY principal_arn
)
SELECT en.id, en.enabled_at FROM enablers en JOIN ct_enriched e ON e.principal_arn = en.id AND e.is_llm_call
GROUP BY en.id, en.enabled_at HAVING min(e.first_time) >= en.enabled_at
