/*---
name: identities_found
kind: view
reads: [identities_aws, identities_github]
params: []
summary: >-
  Every identity found, AWS and GitHub, before registry owners apply: what the registry matches against.
---*/
CREATE OR REPLACE VIEW identities_found AS
SELECT * FROM identities_aws
UNION ALL BY NAME
SELECT * FROM identities_github
