/*---
id: aws/ownerless
title: Non-human identity with no owner, or whose owner has left
category: ownerless
severity: medium
confidence: high
requires: [people, cloudtrail_events, iam_principals, ownerless_since, activity_v, nhi]
summary: An IAM user or role classified as workload, agent or unknown carries no owner-like tag (owner, owner-email, team, contact, …), or its declared owner - or, without a tag, its creator - has left - the IAM user is deleted, or the person is not in the people roster (--people FILE).
rationale: >-
  Nobody can answer for an identity without an owner: nobody reviews its permissions, rotates its keys, or
  decides it can be deleted when the project ends. Agents without owners are how "shadow AI" accumulates. An
  owner who has left is worse than none, because the tag makes the identity look cared for. Departure is read
  from evidence, never guessed - a DeleteUser event for the owner's or creator's IAM user, a creator seen acting
  as an IAM user that no longer exists, or (when a roster is given) a name that is not on it. The creator seen in
  CloudTrail is a suggestion, not an owner - creators move teams and leave.
false_positives:
  - Ownership recorded outside AWS tags and the agent registry (a CMDB); register it so the scanner sees it.
  - Team aliases as owners when a people roster is given; list the aliases in the roster too, or tag a person.
remediation:
  summary: Name a person who currently works here as the owner, as a tag (and in the agent registry).
  steps:
    - Ask the suggested owner in the evidence (the creator, or the departed owner's team) or the team whose workload uses it.
    - Tag the identity with owner=<email of a person, not a team alias>.
    - If nobody claims it, deactivate its credentials and schedule deletion (see aws/stale for the last use).
    - Add identity ownership to your offboarding checklist - when a person leaves, reassign what they own.
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html
  - https://owasp.org/www-project-non-human-identities-top-10/2025/
mappings: { owasp_nhi: ["NHI1:2025"], mitre_attack: ["T1078.004"] }
params:
  countdown_days: { type: INTEGER, default: 30, description: days from first seen ownerless (stored across runs) to deprovisioning }
---*/
WITH roster AS (
  SELECT DISTINCT lower(person) AS person, split_part(lower(person), '@', 1) AS local FROM people
),
roster_info AS (
  SELECT count(*) > 0 AS given, coalesce(string_agg(DISTINCT source, ', ' ORDER BY source), '') AS sources FROM people
),
current_users AS (
  SELECT DISTINCT account_id, lower(name) AS name FROM iam_principals WHERE principal_type = 'user'
),
iam_accounts AS (SELECT DISTINCT account_id FROM iam_principals),
deleted AS (
  -- IAM users known to have existed and to be gone: deleted in CloudTrail, or seen acting but absent from the IAM export
  SELECT account_id, lower(json_extract_string(request_parameters, '$.userName')) AS name,
    'IAM user deleted on ' || strftime(max(first_time), '%Y-%m-%d') || ' (DeleteUser by ' || coalesce(any_value(user_name), any_value(session_name), any_value(principal_arn)) || ')' AS how
  FROM cloudtrail_events
  WHERE event_source = 'iam.amazonaws.com' AND event_name = 'DeleteUser' AND error_code IS NULL
  GROUP BY ALL
  UNION ALL
  SELECT e.account_id, lower(regexp_extract(e.principal_arn, '/([^/]+)$', 1)),
    'IAM user seen acting until ' || strftime(max(e.last_time), '%Y-%m-%d') || ', no longer in IAM'
  FROM cloudtrail_events e JOIN iam_accounts a ON a.account_id = e.account_id
  WHERE e.identity_type = 'IAMUser' AND e.principal_arn LIKE 'arn:aws:iam::%:user/%'
  GROUP BY ALL
),
gone AS (
  SELECT d.account_id, d.name, arg_min(d.how, d.how) AS how FROM deleted d
  WHERE d.name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM current_users u WHERE u.account_id = d.account_id AND u.name = d.name)
  GROUP BY ALL
),
ids AS (
  SELECT i.*, a.first_seen, a.last_seen,
    lower(i.owner_tag_value) AS owner_l, split_part(lower(i.owner_tag_value), '@', 1) AS owner_local,
    lower(i.creator) AS creator_l, split_part(lower(i.creator), '@', 1) AS creator_local,
    (i.owner_tag_key IS NOT NULL AND lower(i.owner_tag_key) NOT IN ('team', 'squad')) AS owner_is_person_tag
  FROM nhi i
  LEFT JOIN activity_v a ON a.subject_type = 'principal' AND a.subject_id = i.id
  -- registry-owned identities are judged by registry/ownerless (owner against the roster)
  WHERE i.kind IN ('iam-user', 'iam-role') AND i.in_iam AND i.owner_source <> 'registry'
),
judged AS (
  SELECT ids.*, r.given AS roster_given, r.sources AS roster_sources,
    -- declared owner: departed when deleted as an IAM user, or missing from a given roster
    CASE WHEN owner_tag_value IS NULL THEN NULL
      WHEN og.how IS NOT NULL THEN og.how
      WHEN r.given AND owner_is_person_tag AND NOT EXISTS (SELECT 1 FROM roster p WHERE p.person = owner_l OR p.person = owner_local OR p.local = owner_l)
        THEN 'not in the people roster (' || r.sources || ')'
    END AS owner_departed,
    CASE WHEN creator IS NULL THEN NULL
      WHEN cg.how IS NOT NULL THEN cg.how
      WHEN r.given AND creator <> 'root' AND NOT EXISTS (SELECT 1 FROM roster p WHERE p.person = creator_l OR p.person = creator_local OR p.local = creator_l)
        THEN 'not in the people roster (' || r.sources || ')'
    END AS creator_departed
  FROM ids
  CROSS JOIN roster_info r
  LEFT JOIN gone og ON og.account_id = ids.account AND (og.name = ids.owner_l OR og.name = ids.owner_local)
  LEFT JOIN gone cg ON cg.account_id = ids.account AND (cg.name = ids.creator_l OR cg.name = ids.creator_local
    OR cg.name = lower(regexp_extract(ids.creator_arn, ':user/(?:.*/)?([^/]+)$', 1)))
)
SELECT
  kind AS subject_type,
  id AS subject_id,
  account AS account_id,
  arn AS principal_arn,
  judged.first_seen,
  judged.last_seen,
  CASE WHEN owner_departed IS NOT NULL OR (owner_tag_value IS NULL AND creator_departed IS NOT NULL)
         THEN CASE classification WHEN 'unknown' THEN 'medium' ELSE 'high' END
       ELSE CASE classification WHEN 'agent' THEN 'high' WHEN 'workload' THEN 'medium' ELSE 'low' END END AS severity,
  CASE
    WHEN owner_departed IS NOT NULL THEN
      format('{} {} ({}): its declared owner {} has left - {}', replace(kind, 'iam-', ''), name, classification, owner_tag_value, owner_departed)
    WHEN creator_departed IS NOT NULL THEN
      format('{} {} ({}) has no owner tag, and its creator {} has left - {}', replace(kind, 'iam-', ''), name, classification, creator, creator_departed)
    ELSE
      format('{} {} ({}) has no owner tag{}', replace(kind, 'iam-', ''), name, classification,
        CASE WHEN creator IS NOT NULL THEN '; created by ' || creator || ' (suggested owner)' ELSE '; creator unknown' END)
  END || coalesce('; deprovision on ' || strftime(os.first_seen + to_days($countdown_days), '%Y-%m-%d') || ' unless someone claims it', '') AS reason,
  {
    'name': name,
    'classification': classification,
    'tags': coalesce(json_keys(tags), []),
    'owner_status': CASE WHEN owner_departed IS NOT NULL THEN 'departed' WHEN owner_tag_value IS NULL THEN 'none' ELSE 'declared' END,
    'declared_owner': owner_tag_value,
    'owner_tag': owner_tag_key,
    'owner_departed': owner_departed,
    'creator': creator,
    'creator_arn': creator_arn,
    'creator_departed': creator_departed,
    'suggested_owner': CASE WHEN creator_departed IS NULL THEN creator END,
    'people_roster': CASE WHEN roster_given THEN roster_sources END,
    'ownerless_since': strftime(os.first_seen, '%Y-%m-%d'),
    'deprovision_on': strftime(os.first_seen + to_days($countdown_days), '%Y-%m-%d'),
    'commands': [CASE kind WHEN 'iam-user' THEN 'aws iam tag-user --user-name ' || name
                           ELSE 'aws iam tag-role --role-name ' || name END || ' --tags Key=owner,Value=<person@example.com>']
  } AS evidence
FROM judged
LEFT JOIN ownerless_since os ON os.subject_id = judged.id
WHERE owner_tag_value IS NULL OR owner_departed IS NOT NULL
ORDER BY subject_id
