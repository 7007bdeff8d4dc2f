/*---
id: aws/behaviour-drift
title: Agent doing something new - a new service, a new write action, or far more calls than usual
category: runtime-escalation
severity: medium
confidence: medium
requires: [identities, ct_enriched]
params:
  recent_hours: { type: INTEGER, default: 24, description: "The recent window compared with the baseline (set it to the daemon's interval for 'since the last run')" }
  min_baseline_hours: { type: INTEGER, default: 24, description: "Active hours the identity needs in its baseline before drift is judged (a new identity has no 'usual')" }
  volume_factor: { type: DOUBLE, default: 5.0, description: "Calls per active hour, recent over baseline, that make a jump" }
  min_recent_calls: { type: INTEGER, default: 50, description: "Fewest recent calls for a volume jump (small numbers are noise)" }
  classes: { type: "VARCHAR[]", default: ["agent"], description: "Classifications watched" }
summary: An AI agent used a service or a write action in the recent window that it never used in its baseline (the rest of the scan window), or its call rate jumped well above its usual rate; the evidence lists both sides.
rationale: >-
  Grants say what an agent could do; drift says what it started doing. An agent that suddenly writes where it only read,
  reaches a service it never touched (Secrets Manager, IAM, KMS), or multiplies its call volume is following a new plan:
  a prompt injection, a tool added without review, a runaway loop, or its credentials in someone else's hands. This is
  the runtime signal that scoping reviews miss, and it is caught while the baseline is still fresh.
false_positives:
  - A release that gave the agent a new tool or workflow on purpose (check the deploy time against the first recent call).
  - Month-end or batch jobs that raise the volume on a schedule; raise volume_factor or widen recent_hours for them.
remediation:
  summary: Confirm the new behaviour was intended; if not, cut the agent back to its baseline and investigate.
  steps:
    - Compare the baseline and recent sides of the evidence and ask the agent's owner whether the new services and write actions were shipped on purpose.
    - If they were not, revoke the agent's sessions (or deactivate its keys) and review the recent calls (time, source address, user agent) in CloudTrail.
    - Scope the agent's policy to the actions of its baseline (plus what was approved) and add a permission boundary that denies the rest.
    - Record the approved behaviour in the agent registry so the next change is measured against it.
references:
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
  - https://genai.owasp.org/llmrisk/llm062025-excessive-agency/
  - https://attack.mitre.org/techniques/T1078/004/
mappings: { owasp_nhi: ["NHI5:2025", "NHI7:2025"], mitre_attack: ["T1078.004"] }
---*/
WITH subj AS (
  SELECT i.id, i.kind, i.name, i.account, i.arn, i.classification
  FROM identities i WHERE i.kind IN ('iam-user', 'iam-role') AND list_contains($classes, i.classification)
),
ev AS (
  -- Hourly rollup rows summed per (identity, hour, service, action) first: the DISTINCT lists below read fewer rows.
  SELECT s.id, e.event_hour, e.iam_action, e.read_only, split_part(e.event_source, '.', 1) AS service,
    e.first_time >= $as_of - to_hours($recent_hours) AS recent,
    min(e.first_time) AS first_time, max(e.last_time) AS last_time, sum(e.event_count) AS event_count
  FROM ct_enriched e JOIN subj s ON s.id = e.principal_arn
  WHERE e.error_code IS NULL AND e.invoked_by IS NULL AND e.ua_kind NOT IN ('console', 'aws-internal')
  GROUP BY ALL
),
side AS (
  SELECT id, recent,
    list(DISTINCT service ORDER BY service) AS services,
    coalesce(list(DISTINCT iam_action ORDER BY iam_action) FILTER (WHERE read_only = false), []) AS write_actions,
    sum(event_count)::BIGINT AS calls,
    count(DISTINCT event_hour) AS active_hours,
    min(first_time) AS first_seen, max(last_time) AS last_seen
  FROM ev GROUP BY id, recent
),
d AS (
  SELECT b.id,
    b.services AS b_services, b.write_actions AS b_writes, b.calls AS b_calls, b.active_hours AS b_hours,
    b.first_seen AS b_first, b.last_seen AS b_last,
    r.services AS r_services, r.write_actions AS r_writes, r.calls AS r_calls, r.active_hours AS r_hours,
    r.first_seen AS r_first, r.last_seen AS r_last,
    list_filter(r.services, x -> NOT list_contains(b.services, x)) AS new_services,
    list_filter(r.write_actions, x -> NOT list_contains(b.write_actions, x)) AS new_writes,
    round(b.calls / b.active_hours, 1) AS b_rate,
    round(r.calls / r.active_hours, 1) AS r_rate
  FROM side b JOIN side r ON r.id = b.id AND r.recent AND NOT b.recent
  WHERE b.active_hours >= $min_baseline_hours
),
hits AS (
  SELECT *, (r_calls >= $min_recent_calls AND r_rate >= $volume_factor * b_rate) AS volume_jump
  FROM d
  WHERE len(new_services) > 0 OR len(new_writes) > 0 OR (r_calls >= $min_recent_calls AND r_rate >= $volume_factor * b_rate)
)
SELECT
  s.kind AS subject_type,
  s.id AS subject_id,
  s.account AS account_id,
  s.arn AS principal_arn,
  h.r_first AS first_seen,
  h.r_last AS last_seen,
  CASE WHEN len(h.new_writes) > 0 THEN 'high' ELSE 'medium' END AS severity,
  format('{} {} ({}) changed behaviour in the last {}h: {}', replace(s.kind, 'iam-', ''), s.name, s.classification, $recent_hours,
    array_to_string(list_filter([
      CASE WHEN len(h.new_services) > 0 THEN 'new service(s) ' || array_to_string(h.new_services[1:5], ', ') END,
      CASE WHEN len(h.new_writes) > 0 THEN 'new write action(s) ' || array_to_string(h.new_writes[1:5], ', ') END,
      CASE WHEN h.volume_jump THEN h.r_rate || ' calls per active hour against ' || h.b_rate || ' usually' END
    ], x -> x IS NOT NULL), '; ')) AS reason,
  {
    'name': s.name,
    'classification': s.classification,
    'recent_hours': $recent_hours,
    'new_services': h.new_services,
    'new_write_actions': h.new_writes,
    'volume_jump': h.volume_jump,
    'before': {'from': h.b_first, 'to': h.b_last, 'services': h.b_services, 'write_actions': h.b_writes,
               'calls': h.b_calls, 'active_hours': h.b_hours, 'calls_per_active_hour': h.b_rate},
    'after': {'from': h.r_first, 'to': h.r_last, 'services': h.r_services, 'write_actions': h.r_writes,
              'calls': h.r_calls, 'active_hours': h.r_hours, 'calls_per_active_hour': h.r_rate},
    'commands': CASE s.kind
      WHEN 'iam-role' THEN ['aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=' || s.name || ' --max-results 50',
        'aws iam list-attached-role-policies --role-name ' || s.name]
      ELSE ['aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=' || s.name || ' --max-results 50',
        'aws iam list-attached-user-policies --user-name ' || s.name] END
  } AS evidence
FROM hits h JOIN subj s ON s.id = h.id
ORDER BY subject_id
