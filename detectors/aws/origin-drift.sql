/*---
id: aws/origin-drift
title: Agent's credentials used from a new network or by a new client
category: shared-credential
severity: medium
confidence: medium
requires: [identities, ct_enriched]
params:
  recent_hours: { type: INTEGER, default: 24, description: "The recent window compared with the baseline (set it to the daemon's interval for 'since the last run')" }
  min_baseline_hours: { type: INTEGER, default: 24, description: "Active hours the identity needs in its baseline before drift is judged" }
  classes: { type: "VARCHAR[]", default: ["agent"], description: "Classifications watched" }
summary: An AI agent's successful calls in the recent window came from a source network (/16, or 'private') or a user-agent family (SDK, CLI, tool) never seen in its baseline; the evidence lists both sides.
rationale: >-
  An agent runs as one program in one place; its network and client are stable. Calls with its credentials from a
  new network or a different client mean either a second workload now shares the credential (OWASP NHI9, reuse) or
  someone copied it - an agent's session token lifted by a prompt injection or a leaked key used from a laptop.
  Either way the credential can no longer be scoped, rotated or attributed to one workload.
false_positives:
  - A planned move to new infrastructure (new VPC, NAT gateway or region) or an SDK upgrade that changes the user-agent family.
  - Developers reproducing the agent locally with its credentials (itself worth stopping).
remediation:
  summary: Find who made the new calls; give each workload its own identity and revoke the shared one.
  steps:
    - Look up the recent calls from the new networks or clients (source address, user agent, time) and find the workload behind them.
    - If nobody owns them, revoke the agent's sessions or deactivate its keys now, then rotate.
    - Give every legitimate consumer its own role and restrict the agent's trust policy (or key) to its one workload, e.g. with aws:SourceVpc or aws:SourceIp conditions.
references:
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
  - https://attack.mitre.org/techniques/T1078/004/
mappings: { owasp_nhi: ["NHI9:2025", "NHI2:2025"], mitre_attack: ["T1078.004", "T1550"] }
---*/
WITH subj AS (
  SELECT i.id, i.kind, i.name, i.account, i.arn, i.classification
  FROM identities i WHERE i.kind IN ('iam-user', 'iam-role') AND list_contains($classes, i.classification)
),
ev AS (
  SELECT s.id, e.event_hour, e.first_time, e.last_time, e.event_count, e.ua_family, e.source_ip,
    CASE WHEN regexp_matches(coalesce(e.source_ip, ''), '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)') THEN 'private'
         WHEN regexp_matches(coalesce(e.source_ip, ''), '^\d+\.\d+\.\d+\.\d+$') THEN regexp_extract(e.source_ip, '^(\d+\.\d+)\.', 1) || '.0.0/16'
         WHEN e.source_ip LIKE '%:%' THEN 'ipv6:' || split_part(e.source_ip, ':', 1) || ':' || split_part(e.source_ip, ':', 2)
         ELSE NULL END AS network,
    e.first_time >= $as_of - to_hours($recent_hours) AS recent
  FROM ct_enriched e JOIN subj s ON s.id = e.principal_arn
  WHERE e.error_code IS NULL AND e.invoked_by IS NULL AND e.ua_kind NOT IN ('console', 'aws-internal') AND len(e.scanners) = 0
),
side AS (
  SELECT id, recent,
    coalesce(list(DISTINCT network ORDER BY network) FILTER (WHERE network IS NOT NULL), []) AS networks,
    list(DISTINCT ua_family ORDER BY ua_family) AS ua_families,
    list(DISTINCT source_ip ORDER BY source_ip)[1:10] AS sample_ips,
    sum(event_count)::BIGINT AS calls,
    count(DISTINCT event_hour) AS active_hours,
    min(first_time) AS first_seen, max(last_time) AS last_seen
  FROM ev GROUP BY id, recent
),
d AS (
  SELECT b.id, b.networks AS b_networks, b.ua_families AS b_uas, b.sample_ips AS b_ips, b.calls AS b_calls, b.first_seen AS b_first, b.last_seen AS b_last,
    r.networks AS r_networks, r.ua_families AS r_uas, r.sample_ips AS r_ips, r.calls AS r_calls, r.first_seen AS r_first, r.last_seen AS r_last,
    list_filter(r.networks, x -> NOT list_contains(b.networks, x)) AS new_networks,
    list_filter(r.ua_families, x -> NOT list_contains(b.ua_families, x)) AS new_uas
  FROM side b JOIN side r ON r.id = b.id AND r.recent AND NOT b.recent
  WHERE b.active_hours >= $min_baseline_hours
)
SELECT
  s.kind AS subject_type,
  s.id AS subject_id,
  s.account AS account_id,
  s.arn AS principal_arn,
  d.r_first AS first_seen,
  d.r_last AS last_seen,
  CASE WHEN len(d.new_networks) > 0 AND len(d.new_uas) > 0 THEN 'high' ELSE 'medium' END AS severity,
  format('{} {} ({}) was used in the last {}h {}', replace(s.kind, 'iam-', ''), s.name, s.classification, $recent_hours,
    array_to_string(list_filter([
      CASE WHEN len(d.new_networks) > 0 THEN 'from new network(s) ' || array_to_string(d.new_networks[1:5], ', ') END,
      CASE WHEN len(d.new_uas) > 0 THEN 'by new client(s) ' || array_to_string(d.new_uas[1:5], ', ') END
    ], x -> x IS NOT NULL), ' and ')) AS reason,
  {
    'name': s.name,
    'classification': s.classification,
    'recent_hours': $recent_hours,
    'new_networks': d.new_networks,
    'new_user_agent_families': d.new_uas,
    'before': {'from': d.b_first, 'to': d.b_last, 'networks': d.b_networks, 'user_agent_families': d.b_uas, 'sample_ips': d.b_ips, 'calls': d.b_calls},
    'after': {'from': d.r_first, 'to': d.r_last, 'networks': d.r_networks, 'user_agent_families': d.r_uas, 'sample_ips': d.r_ips, 'calls': d.r_calls},
    'commands': ['aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=' || s.name || ' --max-results 50']
  } AS evidence
FROM d JOIN subj s ON s.id = d.id
WHERE len(d.new_networks) > 0 OR len(d.new_uas) > 0
ORDER BY subject_id
