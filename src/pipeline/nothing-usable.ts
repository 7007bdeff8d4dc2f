/**
 * The message of a scan that found nothing to analyse. When the collection was denied, it names each denied
 * call and the IAM permission it needs first: that, not the export layout, is what the person has to fix.
 */
import type { RecordedGap } from '../store/load-gaps.js';
import type { CoverageGap } from '../kernel/types.js';

/** Text of the usage error for a scan of `from` that loaded no identity, record or repository. */
export function nothingUsableMessage(from: string, gaps: CoverageGap[], denied: RecordedGap[]): string {
  const head = `nothing usable found in ${from}: no IAM identities, no CloudTrail records and no GitHub repositories or credentials`;
  if (denied.length === 0) {
    const why = gaps.map((g) => `  ${g.source}: ${g.detail}`).join('\n');
    return why ? `${head}\n${why}` : head;
  }
  const deniedSources = new Set(denied.map((g) => `collect: ${g.detail}`));
  // Other failed calls of the collection (timeouts, disabled regions) and load problems; notes without an account
  // (e.g. LookupEvents' 90-day limit) are not failed calls.
  const others = gaps.filter((g) => !deniedSources.has(g.detail));
  const failedOtherwise = others.some((g) => g.detail.startsWith('collect: ') && /^aws:\d{12}:/.test(g.source));
  const lines = [
    failedOtherwise
      ? `nothing to scan in ${from}: ${denied.length} AWS call(s) were denied (AccessDenied) and others failed`
      : `nothing to scan in ${from}: every AWS call that would read identities or activity was denied (AccessDenied)`,
  ];
  const seen = new Set<string>();
  for (const g of [...denied].sort((a, b) => (a.account ?? '').localeCompare(b.account ?? '') || (a.region ?? '').localeCompare(b.region ?? '') || (a.api ?? '').localeCompare(b.api ?? ''))) {
    const where = `account ${g.account ?? '?'}${g.region ? `, region ${g.region}` : ''}`;
    const line = `  ${where}: ${g.api} denied — needs ${g.permission}`;
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  const org = denied.some((g) => /^(sts:AssumeRole|organizations:)/.test(g.permission ?? ''));
  lines.push(`Grant these to the identity the scan runs as (all read-only: policies/shadowscan-readonly.json${org ? '; Organization access: policies/shadowscan-org-scanner.json' : ''}), or choose one that has them with --aws-profile.`);
  if (others.length > 0) {
    lines.push('Other coverage gaps:');
    for (const g of others) lines.push(`  ${g.source}: ${g.detail}`);
  }
  return lines.join('\n');
}
