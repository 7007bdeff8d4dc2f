/*---
name: github_pat_facts
kind: table
reads: [github_members, github_pat_grants, name_words]
params: [as_of]
summary: >-
  Fine-grained PAT grants act as a person's account, so what runs them is read from the grant itself: per grant (id
  = its identity id), whether its owner left the org (only when members.json was read), what it can write (repository,
  organization, and the CI/CD subset), its permissions, days since last use, and the word of its name or owner login
  that suggests an agent, automation or personal use (reference/name-words.csv).
---*/
CREATE OR REPLACE TABLE github_pat_facts AS
WITH members AS (SELECT org, lower(login) AS login FROM github_members),
member_orgs AS (SELECT DISTINCT org FROM github_members),
words AS (
  SELECT max(pattern) FILTER (WHERE list = 'pat-agent') AS agent, max(pattern) FILTER (WHERE list = 'pat-automation') AS automation,
    max(pattern) FILTER (WHERE list = 'pat-personal') AS personal, max(pattern) FILTER (WHERE list = 'machine-login') AS machine
  FROM name_words
),
f AS (
  SELECT p.*, 'github://' || p.org || '/personal-access-tokens/' || p.id AS identity_id,
    p.owner_login IS NOT NULL AND p.org IN (SELECT org FROM member_orgs) AND lower(p.owner_login) NOT IN (SELECT login FROM members m WHERE m.org = p.org) AS owner_left,
    list_sort(list_filter(coalesce(json_keys(json_extract(p.permissions, '$.repository')), []),
      k -> json_extract_string(p.permissions, '$.repository."' || k || '"') IN ('write', 'admin'))) AS repo_writes,
    list_sort(list_filter(coalesce(json_keys(json_extract(p.permissions, '$.organization')), []),
      k -> json_extract_string(p.permissions, '$.organization."' || k || '"') IN ('write', 'admin'))) AS org_writes,
    list_concat(coalesce(json_keys(json_extract(p.permissions, '$.repository')), []), coalesce(json_keys(json_extract(p.permissions, '$.organization')), []),
      coalesce(json_keys(json_extract(p.permissions, '$.other')), [])) AS all_perms,
    date_diff('day', p.token_last_used_at, getvariable('as_of')) AS idle_days,
    nullif(regexp_extract(lower(coalesce(p.token_name, '')), w.agent, 2), '') AS agent_word,
    nullif(regexp_extract(lower(coalesce(p.token_name, '')), w.automation, 2), '') AS auto_word,
    nullif(regexp_extract(lower(coalesce(p.token_name, '')), w.personal, 2), '') AS human_word,
    (p.owner_type = 'Bot' OR regexp_matches(lower(coalesce(p.owner_login, '')), w.machine)) AS machine_owner
  FROM github_pat_grants p, words w
)
SELECT *, list_filter(list_concat(repo_writes, org_writes), x -> x IN ('actions', 'workflows', 'secrets', 'environments', 'deployments', 'administration', 'pages', 'organization_self_hosted_runners')) AS automation_writes
FROM f
