/*---
name: agent_declarations
kind: reference
params: [reference_dir]
summary: >-
  Tags by which an owner declares an identity to be an AI agent (agent-id, agent-tier, ai-agent, purpose=ai-agent, …): tag key, optional RE2 full-match pattern for the lower-case value (empty: any value but false/no/0/none), and what it means (reference/agent-declarations.csv).
---*/
CREATE OR REPLACE TABLE agent_declarations AS
SELECT lower(tag_key) AS tag_key, nullif(value_pattern, '') AS value_pattern, meaning
FROM read_csv(getvariable('reference_dir') || '/agent-declarations.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
