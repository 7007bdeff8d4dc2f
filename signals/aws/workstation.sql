/*---
id: aws/workstation
signal: run by hand from a workstation
class: human
weight: 30
reads: [activity_v, identities_base]
meaning: >-
  A person at a laptop: programmatic calls come (almost) only from a desktop OS, in office hours, never round the clock, with no CI or agent marker (a deploy tool or the CLI run by hand).
---*/
SELECT ib.id,
  act.workstation_calls || ' call(s) from programs on macOS/Windows (' || array_to_string(list_filter(act.ua_families, x -> x NOT IN ('console', 'aws-internal', 'other', 'none')), ', ')
  || '), ' || round(100.0 * act.workstation_office_calls / act.workstation_calls)::INTEGER || '% in office hours, active in ' || act.active_hours_of_day || ' hour(s) of the day' AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE act.workstation_calls > 0 AND act.workstation_calls >= 0.9 * (act.calls - act.console_calls)
  AND act.workstation_office_calls >= 0.8 * act.workstation_calls AND act.active_hours_of_day < 18
  AND len(act.ci_markers) = 0 AND len(act.agent_tokens) = 0 AND act.llm_calls = 0
