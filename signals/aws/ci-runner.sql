/*---
id: aws/ci-runner
signal: CI runner
class: workload
weight: 30
reads: [activity_v, identities_base]
meaning: >-
  Calls from a CI/CD runner (GitHub Actions, GitLab CI, Jenkins, CodeBuild, …) by its user-agent marker.
---*/
SELECT ib.id, array_to_string(act.ci_markers, ', ') AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_id = ib.id AND act.subject_type = CASE WHEN ib.kind = 'access-key' THEN 'access-key' ELSE 'principal' END
WHERE len(act.ci_markers) > 0
