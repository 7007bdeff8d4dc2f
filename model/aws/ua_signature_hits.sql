/*---
name: ua_signature_hits
kind: matches
reads: [cloudtrail_events, ua_signatures]
params: []
summary: >-
  Which user-agent signatures each distinct user agent matches: one row per (user agent, signature ord), brackets of
  S3 data events dropped before matching. Filled by src/model/matches.ts one signature at a time, its pattern a bound
  value that DuckDB compiles once (a join on a pattern column compiles it for every pair: 20k distinct agents × 63
  signatures took 14 s, one statement per signature 0.3 s).
---*/
CREATE OR REPLACE TABLE ua_signature_hits (user_agent VARCHAR, ord INTEGER)
