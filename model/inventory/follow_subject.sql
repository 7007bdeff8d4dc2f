/*---
name: follow_subject
kind: macro
reads: []
params: []
summary: >-
  follow_subject(base, tier): the one severity adjustment detectors apply to their default (or computed) severity, from subject_context.tier.
---*/
CREATE OR REPLACE MACRO follow_subject(base, tier) AS
(['info', 'low', 'medium', 'high', 'critical'])[
  CASE tier
    WHEN 'agent-static-key' THEN least(list_position(['info', 'low', 'medium', 'high', 'critical'], base) + 1, 5)
    WHEN 'dormant-guarded' THEN least(list_position(['info', 'low', 'medium', 'high', 'critical'], base), 2)
    WHEN 'dormant' THEN greatest(list_position(['info', 'low', 'medium', 'high', 'critical'], base) - 1, 1)
    ELSE list_position(['info', 'low', 'medium', 'high', 'critical'], base) END]
