/*---
id: aws/llm-jacking-sequence
signal: model access enabled, then first model calls (LLM-jacking sequence)
class: unknown
weight: 0
reads: [activity_v, identities_base, llm_jacking_sequences]
meaning: >-
  Its model calls all came after it enabled model access itself: judged by aws/llm-jacking, not agent evidence (weight 0).
---*/
SELECT ib.id, act.llm_calls || ' model call(s) after it enabled model access itself: judged by aws/llm-jacking, not agent evidence' AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE act.llm_calls > 0 AND coalesce(ib.parent_id, ib.id) IN (SELECT id FROM llm_jacking_sequences)
