/*---
name: creators
kind: table
reads: [cloudtrail_events]
params: []
summary: >-
  Who created each IAM user, role and access key (from CloudTrail CreateUser/CreateRole/CreateAccessKey), earliest creation wins.
---*/
CREATE OR REPLACE TABLE creators AS
WITH c AS (
  SELECT first_time AS created_time, account_id, event_name,
    CASE event_name
      WHEN 'CreateUser' THEN 'user:' || json_extract_string(request_parameters, '$.userName')
      WHEN 'CreateRole' THEN 'role:' || json_extract_string(request_parameters, '$.roleName')
      WHEN 'CreateAccessKey' THEN 'key:' || coalesce(json_extract_string(response_elements, '$.accessKey.accessKeyId'), '')
    END AS target,
    CASE WHEN identity_type = 'IAMUser' THEN coalesce(user_name, regexp_extract(principal_arn, '/([^/]+)$', 1))
         WHEN identity_type = 'AssumedRole' THEN coalesce(session_name, principal_arn)
         WHEN identity_type = 'Root' THEN 'root'
         ELSE principal_arn END AS creator,
    principal_arn AS creator_arn
  FROM cloudtrail_events
  WHERE event_source = 'iam.amazonaws.com' AND event_name IN ('CreateUser', 'CreateRole', 'CreateAccessKey') AND error_code IS NULL
)
SELECT target, account_id, arg_min(creator, created_time) AS creator, arg_min(creator_arn, created_time) AS creator_arn, min(created_time) AS created_time
FROM c WHERE target IS NOT NULL GROUP BY target, account_id
