/*---
name: github_oidc_trusts
kind: table
reads: [trusts]
params: []
summary: >-
  AWS roles that trust GitHub's OIDC issuer (github.com, GHE.com and GHES forms), one row per sub pattern (NULL: no sub condition at all), with the repository glob it allows.
---*/
CREATE OR REPLACE TABLE github_oidc_trusts AS
WITH t AS (
  SELECT role_arn, account_id, oidc_provider,
    coalesce(from_json(oidc_aud, '["VARCHAR"]'), []) AS aud,
    coalesce(from_json(oidc_sub, '["VARCHAR"]'), []) AS subs
  FROM trusts WHERE effect = 'Allow' AND principal_type = 'Federated' AND (oidc_provider LIKE 'token.actions.githubusercontent.com%' OR oidc_provider LIKE '%/_services/token%')
)
SELECT role_arn, account_id, oidc_provider, aud, sub_pattern,
  CASE WHEN sub_pattern IS NULL OR sub_pattern IN ('*', 'repo:*') THEN '*'
       WHEN starts_with(sub_pattern, 'repo:') THEN regexp_extract(sub_pattern, '^repo:([^:]*)', 1)
       ELSE '*' END AS repo_glob
FROM t, unnest(CASE WHEN len(subs) = 0 THEN [NULL::VARCHAR] ELSE subs END) AS u(sub_pattern)
