/*---
name: ct_window
kind: view
reads: [cloudtrail_events]
params: [as_of, window_start]
summary: >-
  The CloudTrail rollup rows inside the scan window (window_start .. as_of).
---*/
CREATE OR REPLACE VIEW ct_window AS
SELECT * FROM cloudtrail_events
WHERE last_time >= getvariable('window_start') AND first_time <= getvariable('as_of')
