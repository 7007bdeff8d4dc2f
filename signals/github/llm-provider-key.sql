/*---
id: github/llm-provider-key
signal: LLM provider key
class: agent
weight: 20
reads: [github_secret_ids]
meaning: >-
  The secret's name says it holds a model provider's API key (name_patterns llm-provider).
---*/
SELECT secret_id AS id, 'name ' || name || ' holds a model provider key' AS detail FROM github_secret_ids WHERE credential_type = 'llm-provider'
