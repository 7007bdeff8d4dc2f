/**
 * What lifts an identity to a registry tier, kept as data (one table, like the user-agent
 * signatures). Access levels come from the IAM catalogue: List/Read ⇒ tier 1, Write/Tagging ⇒ tier 2,
 * Permissions management ⇒ tier 3. These rules add what access levels cannot say: sending data out,
 * sharing it outside the account, reading secrets for external APIs, financial systems (tier 3), and
 * housekeeping calls every workload makes that should not count as "writes internal systems" (tier 0).
 */

/** One rule: a regular expression over the lower-case IAM action (`s3:putbucketpolicy`). */
export interface TierRule {
  pattern: string;
  /** 0 = does not count (housekeeping), 3 = external-facing. */
  tier: 0 | 3;
  label: string;
}

export const TIER_RULES: readonly TierRule[] = [
  { pattern: '^(logs:(createloggroup|createlogstream|putlogevents)|sts:(getcalleridentity|assumerole.*|getsessiontoken|tagsession)|xray:puttrace.*|cloudwatch:putmetricdata)$', tier: 0, label: 'housekeeping (own logs, metrics, session)' },
  { pattern: '^(ses|sesv2|pinpoint|mobiletargeting|sms-voice|social-messaging):send.*$', tier: 3, label: 'sends messages outside the company' },
  { pattern: '^secretsmanager:getsecretvalue$', tier: 3, label: 'reads secrets (credentials for external APIs)' },
  { pattern: '^s3:put(bucketpolicy|bucketacl|objectacl|objectversionacl|bucketpublicaccessblock|accesspointpolicy)$', tier: 3, label: 'can make data public or share it outside the account' },
  { pattern: '^(lambda:(addpermission|createfunctionurlconfig|updatefunctionurlconfig)|ec2:authorizesecuritygroupingress|ram:createresourceshare)$', tier: 3, label: 'can open resources to the outside' },
  { pattern: '^(ec2:modifysnapshotattribute|ec2:modifyimageattribute|rds:modifydbsnapshotattribute|rds:modifydbclustersnapshotattribute)$', tier: 3, label: 'can share snapshots with other accounts' },
  { pattern: '^(payments|aws-portal|billing|purchase-orders|invoicing|tax|ce|cur):.*$', tier: 3, label: 'financial systems (billing, payments)' },
];

/** Human words for a tier, used in reasons. */
export function tierWords(tier: number): string {
  return tier >= 3 ? 'tier 3 (external-facing)' : tier === 2 ? 'tier 2 (internal actor)' : 'tier 1 (read-only observer)';
}
