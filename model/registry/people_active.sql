/*---
name: people_active
kind: view
reads: [people]
params: []
summary: >-
  People who can own something: everyone on any roster (registry people:, --people files), lower case.
---*/
CREATE OR REPLACE VIEW people_active AS
SELECT DISTINCT lower(trim(person)) AS person FROM people WHERE person IS NOT NULL AND trim(person) <> ''
