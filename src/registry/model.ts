/**
 * Registry model, built after the identity model (store/model.ts): which identities each registry
 * entry covers, registry owners written into the inventory (owner.source = 'registry'), the effective
 * tier of every identity (from grants and, separately, from observed calls), and the ownerless
 * countdown kept across runs. Detectors in detectors/registry/ read these tables.
 */

import { TIER_RULES } from './tiers.js';

/**
 * The tier rules (tier_rules rows, by `ord`) that apply to an action column, from `action_rule_hits`: two
 * equi-joins instead of `regexp_matches(action, tier_rules.pattern)`, which compiles a regular expression per
 * row and rule (22,093 granted actions × 7 rules: 1.2 s of the demo's model).
 */
export function tierRuleJoin(column: string): string {
  return `LEFT JOIN action_rule_hits h ON h.la = lower(${column}) LEFT JOIN tier_rules r ON r.ord = h.ord`;
}

/** What the tier rules joined by tierRuleJoin say of an action, per group: a tier-3 rule, a neutralising (tier 0) rule, the label. */
const RULE_AGGREGATES = 'max(r.tier) FILTER (WHERE r.tier = 3) AS rule3, bool_or(r.tier = 0) AS neutral, arg_max(r.label, r.tier) AS label';

/**
 * Tier and reason from the rules (RULE_AGGREGATES) and the access level: a tier-3 rule wins, a neutral rule
 * makes it tier 1, else permissions management is 3, writes 2, reads 1. `why` words each level.
 */
function tierColumns(why: { permissions: string; write: string; read: string }): string {
  return `CASE WHEN rule3 = 3 THEN 3 WHEN neutral THEN 1 WHEN access_level = 'Permissions management' THEN 3
          WHEN access_level IN ('Write', 'Tagging') THEN 2 ELSE 1 END AS tier,
     CASE WHEN rule3 = 3 THEN label WHEN neutral THEN label WHEN access_level = 'Permissions management' THEN '${why.permissions}'
          WHEN access_level IN ('Write', 'Tagging') THEN '${why.write}' ELSE '${why.read}' END AS why`;
}

/** The tier rules' patterns as bound parameters ($tier_rule_0 …), the values of the statement that matches them. */
export const TIER_RULE_PARAMS: Readonly<Record<string, string>> = Object.fromEntries(TIER_RULES.map((r, i) => [`tier_rule_${i}`, r.pattern]));

/** Statements run in order after MODEL_SQL (the `identities` table must exist); `modelParams` binds their values. */
export const REGISTRY_MODEL_SQL: readonly string[] = [
  // Registry line → identity. ARNs match exactly or by account + type + name (a registry may omit
  // the path: role/x matches role/service-role/x); assumed-role ARNs match their role; key ids match
  // the key; github:org/repo matches GitHub identities of that repository. Runs after every model
  // that inserts identities (GitHub rows included), so keep REGISTRY_MODEL_SQL last in buildModel.
  `CREATE OR REPLACE TABLE registry_direct AS
   WITH r AS (
     SELECT agent_id, ref, ref_kind,
       regexp_extract(ref, '^arn:aws[a-z-]*:(iam|sts)::(\\d{12}):', 2) AS ref_account,
       CASE WHEN regexp_matches(ref, ':(assumed-)?role/') THEN 'iam-role' WHEN regexp_matches(ref, ':user/') THEN 'iam-user' END AS ref_type,
       CASE WHEN regexp_matches(ref, ':assumed-role/') THEN regexp_extract(ref, ':assumed-role/([^/]+)', 1)
            ELSE regexp_extract(ref, ':(?:user|role)/(?:.*/)?([^/]+)$', 1) END AS ref_name
     FROM registry_identities
   )
   SELECT DISTINCT r.agent_id, r.ref, r.ref_kind, i.id AS identity_id
   FROM r JOIN identities i ON
     (r.ref_kind = 'aws-arn' AND i.kind <> 'access-key' AND (i.id = r.ref OR i.arn = r.ref
        OR (i.kind = r.ref_type AND i.account = r.ref_account AND i.name = r.ref_name)))
     OR (r.ref_kind = 'access-key' AND i.kind = 'access-key' AND i.id = r.ref)
     -- GitHub identities are github://org/repo/… (secrets, deploy keys, agent workflows of that repository)
     OR (r.ref_kind = 'github-repo' AND i.provider = 'github'
        AND starts_with(lower(i.id), 'github://' || lower(substr(r.ref, 8)) || '/'))
     OR (r.ref_kind = 'github-id' AND i.provider = 'github' AND i.id = r.ref)`,

  // Coverage: direct matches, plus the keys of a registered user and the user of a registered key
  // (a user that exists to hold an agent's key is that agent).
  `CREATE OR REPLACE TABLE registry_matches AS
   WITH m AS (
     SELECT agent_id, identity_id, 1 AS ord, 'listed' AS via FROM registry_direct
     UNION ALL
     SELECT d.agent_id, k.id, 2, 'key of a listed user' FROM registry_direct d JOIN identities k ON k.kind = 'access-key' AND k.parent_id = d.identity_id
     UNION ALL
     SELECT d.agent_id, k.parent_id, 3, 'user of a listed key' FROM registry_direct d JOIN identities k ON k.id = d.identity_id
     WHERE k.kind = 'access-key' AND k.parent_id IS NOT NULL AND k.parent_id IN (SELECT id FROM identities)
   )
   SELECT agent_id, identity_id, arg_min(via, ord) AS via FROM m GROUP BY agent_id, identity_id`,

  // Declared owners from the registry win over tags and creators.
  `UPDATE identities SET owner = o.owner, owner_source = 'registry', owner_tag_key = NULL
   FROM (SELECT m.identity_id, arg_min(a.owner, a.agent_id) AS owner
         FROM registry_matches m JOIN registry_agents a USING (agent_id) GROUP BY m.identity_id) o
   WHERE identities.id = o.identity_id`,

  // People who can own something: everyone on any roster (registry people:, --people files).
  `CREATE OR REPLACE VIEW people_active AS
   SELECT DISTINCT lower(trim(person)) AS person FROM people WHERE person IS NOT NULL AND trim(person) <> ''`,

  // Which tier rules match each action name that is granted or was called (lower case), once per name. Each
  // pattern is a bound parameter, so DuckDB compiles it once for the whole column (same rows as tier_rules).
  `CREATE OR REPLACE TABLE action_rule_hits AS
   WITH a AS (
     SELECT DISTINCT lower(action) AS la FROM grants WHERE action IS NOT NULL
     UNION
     SELECT DISTINCT lower(iam_action) FROM ct_enriched WHERE iam_action IS NOT NULL
   )
   ${TIER_RULES.map((_, i) => `SELECT la, ${i} AS ord FROM a WHERE regexp_matches(la, $tier_rule_${i})`).join('\n   UNION ALL ')}`,

  // Tier of each distinct granted action (access level, raised or neutralised by tier_rules),
  // computed once per action rather than per grant row: admin roles expand to ~20k rows each.
  `CREATE OR REPLACE TABLE action_tiers AS
   WITH a AS (SELECT DISTINCT action, access_level FROM grants),
   lv AS (
     SELECT a.action, a.access_level, ${RULE_AGGREGATES}
     FROM a ${tierRuleJoin('a.action')}
     GROUP BY ALL
   )
   SELECT action, access_level,
     ${tierColumns({ permissions: 'changes identities and permissions', write: 'writes internal systems', read: 'reads' })}
   FROM lv`,

  `CREATE OR REPLACE VIEW grant_tiers AS
   SELECT g.principal_arn, g.action, g.access_level, g.source_policy, g.resource, t.tier, t.why
   FROM grants g JOIN action_tiers t ON t.action = g.action AND t.access_level IS NOT DISTINCT FROM g.access_level`,

  // Observed calls (successful, in the window) with their tier.
  `CREATE OR REPLACE TABLE call_tiers AS
   WITH c AS (
     SELECT 'principal' AS subject_type, principal_arn AS subject_id, iam_action AS action, sum(event_count)::BIGINT AS calls, max(last_time) AS last_call
     FROM ct_enriched WHERE error_code IS NULL AND principal_arn IS NOT NULL GROUP BY ALL
     UNION ALL
     SELECT 'access-key', access_key_id, iam_action, sum(event_count)::BIGINT, max(last_time)
     FROM ct_enriched WHERE error_code IS NULL AND starts_with(access_key_id, 'AKIA') GROUP BY ALL
   ),
   -- access level from the IAM catalogue (reference table), else from any grant of that action
   cat AS (SELECT lower(action) AS a, any_value(access_level) AS access_level FROM iam_actions GROUP BY 1),
   lvl AS (SELECT lower(action) AS a, any_value(access_level) AS access_level FROM grants GROUP BY 1),
   x AS (
     SELECT c.*, coalesce(cat.access_level, lvl.access_level,
         CASE WHEN regexp_matches(split_part(c.action, ':', 2), '^(Get|List|Describe|Lookup|Search|Scan|Query|BatchGet|Select|Head|Invoke(Model|Agent|InlineAgent)|Converse|Retrieve|CountTokens|Filter|Check|Validate|Preview|Estimate|Simulate|Decrypt|GenerateDataKey)')
              THEN 'Read' ELSE 'Write' END) AS access_level,
       ${RULE_AGGREGATES}
     FROM c LEFT JOIN cat ON cat.a = lower(c.action) LEFT JOIN lvl ON lvl.a = lower(c.action) ${tierRuleJoin('c.action')}
     GROUP BY ALL
   )
   SELECT subject_type, subject_id, action, calls, last_call, access_level,
     ${tierColumns({ permissions: 'changed identities or permissions', write: 'wrote to internal systems', read: 'read' })}
   FROM x`,

  // Effective tier of each identity, from what it can do and from what it did, with the reasons.
  // Access keys take their user's grants and their own calls.
  `CREATE OR REPLACE TABLE identity_tiers AS
   WITH ids AS (
     SELECT id, kind, CASE WHEN kind = 'access-key' THEN parent_id ELSE arn END AS grant_arn,
       CASE WHEN kind = 'access-key' THEN 'access-key' ELSE 'principal' END AS act_type
     FROM identities
   ),
   gmax AS (SELECT principal_arn, max(tier) AS tier, count(*) AS granted FROM grant_tiers GROUP BY 1),
   gwhy AS (
     SELECT g.principal_arn,
       list({'action': g.action, 'access_level': g.access_level, 'policy': g.source_policy, 'why': g.why} ORDER BY g.action)[1:8] AS grants,
       count(*) AS at_tier
     FROM grant_tiers g JOIN gmax m ON m.principal_arn = g.principal_arn AND g.tier = m.tier GROUP BY 1
   ),
   cmax AS (SELECT subject_type, subject_id, max(tier) AS tier, sum(calls)::BIGINT AS calls FROM call_tiers GROUP BY ALL),
   cwhy AS (
     SELECT c.subject_type, c.subject_id,
       list({'action': c.action, 'calls': c.calls, 'last_call': c.last_call, 'why': c.why} ORDER BY c.calls DESC, c.action)[1:8] AS calls
     FROM call_tiers c JOIN cmax m ON m.subject_type = c.subject_type AND m.subject_id = c.subject_id AND c.tier = m.tier GROUP BY ALL
   )
   SELECT ids.id AS identity_id,
     gmax.tier AS grant_tier, coalesce(gmax.granted, 0) AS granted_actions, gwhy.at_tier AS grant_actions_at_tier, coalesce(gwhy.grants, []) AS grant_reasons,
     cmax.tier AS observed_tier, coalesce(cmax.calls, 0) AS observed_calls, coalesce(cwhy.calls, []) AS observed_reasons
   FROM ids
   LEFT JOIN gmax ON gmax.principal_arn = ids.grant_arn
   LEFT JOIN gwhy ON gwhy.principal_arn = ids.grant_arn
   LEFT JOIN cmax ON cmax.subject_type = ids.act_type AND cmax.subject_id = ids.id
   LEFT JOIN cwhy ON cwhy.subject_type = ids.act_type AND cwhy.subject_id = ids.id`,

  // Subjects without an owner right now, whose deprovisioning countdown runs: non-human IAM users/roles with no
  // tag or registry owner, or whose owner (a person's tag, or the registry's) is not on the roster; and registry
  // entries whose owner is not on the roster. Roster checks apply only when a roster exists; team tags
  // (team, squad) name no person and are not checked. A roster line matches the owner, or its part before @.
  `CREATE OR REPLACE TABLE ownerless_now AS
   WITH roster AS (SELECT person, split_part(person, '@', 1) AS local FROM people_active),
   departed AS (
     SELECT i.id, i.owner, i.owner_source FROM nhi i
     WHERE i.kind IN ('iam-user', 'iam-role') AND i.owner IS NOT NULL
       AND (i.owner_source = 'registry' OR (i.owner_source = 'tag' AND lower(coalesce(i.owner_tag_key, '')) NOT IN ('team', 'squad')))
       AND EXISTS (SELECT 1 FROM roster)
       AND NOT EXISTS (SELECT 1 FROM roster p WHERE p.person = lower(i.owner) OR p.person = split_part(lower(i.owner), '@', 1) OR p.local = lower(i.owner))
   )
   SELECT id AS subject_id, 'no owner tag and no registry entry' AS reason FROM nhi
   WHERE kind IN ('iam-user', 'iam-role') AND owner_source NOT IN ('tag', 'registry')
   UNION ALL
   SELECT id, CASE owner_source WHEN 'tag' THEN 'owner tag ' ELSE 'registry owner ' END || owner || ' is not on the people roster' FROM departed
   UNION ALL
   SELECT 'registry:' || agent_id, 'registry owner ' || owner || ' is not on the people roster' FROM registry_agents a
   WHERE EXISTS (SELECT 1 FROM people_active)
     AND NOT EXISTS (SELECT 1 FROM people_active p WHERE p.person = lower(a.owner) OR p.person = split_part(lower(a.owner), '@', 1))`,

  `DELETE FROM ownerless_since WHERE subject_id NOT IN (SELECT subject_id FROM ownerless_now)`,
  `UPDATE ownerless_since SET first_seen = getvariable('as_of') WHERE first_seen > getvariable('as_of')`,
  `INSERT INTO ownerless_since SELECT subject_id, getvariable('as_of'), reason FROM ownerless_now
   WHERE subject_id NOT IN (SELECT subject_id FROM ownerless_since)`,
];
