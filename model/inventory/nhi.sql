/*---
name: nhi
kind: view
reads: [identities]
params: []
summary: >-
  Non-human identities: every identity classified workload, agent or unknown (what the NHI detectors consider).
---*/
CREATE OR REPLACE VIEW nhi AS
SELECT * FROM identities WHERE classification IN ('workload', 'agent', 'unknown')
