/**
 * Registry tiers. Access levels come from the IAM catalogue; the tier each starts at (List/Read ⇒ 1, Write/Tagging ⇒ 2,
 * Permissions management ⇒ 3) is data in reference/access-levels.csv; the rules that add what access levels cannot say (sending data out,
 * sharing it, secrets, financial systems: tier 3; housekeeping: tier 0) are data in reference/tier-rules.csv,
 * applied by model/registry/action_rule_hits.sql.
 */

/** Human words for a tier, used in reasons. */
export function tierWords(tier: number): string {
  return tier >= 3 ? 'tier 3 (external-facing)' : tier === 2 ? 'tier 2 (internal actor)' : 'tier 1 (read-only observer)';
}
