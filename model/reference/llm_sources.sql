/*---
name: llm_sources
kind: reference
params: [reference_dir]
summary: >-
  Event sources whose llm-runtime events (agent_events) are LLM or agent runtime calls.
---*/
CREATE OR REPLACE TABLE llm_sources AS
SELECT event_source
FROM read_csv(getvariable('reference_dir') || '/llm-sources.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
