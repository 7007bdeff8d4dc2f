/*---
name: identity_signals
kind: signals
reads: [activity_v, declared_agents, github_agent_workflows, github_app_installations, github_deploy_keys, github_members, github_pat_facts, github_secret_ids, github_secret_refs, github_unlisted_key_secrets, iam_credential_report, identities_base, llm_jacking_sequences, name_words, trusts]
params: []
summary: >-
  Classification evidence: one row per (identity, signal) with the signal's class, weight and label, filled by
  running every signal below signals/ (src/model/signals.ts). `reads` is the union of what the signals read.
---*/
CREATE OR REPLACE TABLE identity_signals (id VARCHAR, class VARCHAR, weight INTEGER, signal VARCHAR, detail VARCHAR, signal_id VARCHAR)
