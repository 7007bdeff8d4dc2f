import type { Command } from 'commander';
import type { ProgressFn } from '../../kernel/progress.js';
import { addLogOptions, progressFor, type LogFlags } from '../log.js';
import type { AwsCollectResult } from '../../connectors/aws/collect.js';
import { parseBucketUrl } from '../../connectors/aws/cloudtrail-s3.js';
import { runCollect } from '../../pipeline/collect.js';
import { parseDuration, parseInstant } from '../../kernel/duration.js';
import { ExitCode } from '../../kernel/errors.js';
import { DEFAULT_DB_PATH } from '../../store/db.js';
import { collectGithub } from '../../connectors/github/collect.js';
import { addAwsSourceOptions, awsSourceOptions, hasAwsSourceFlags, type AwsSourceFlags } from '../aws-flags.js';
import { addGithubSourceOptions, githubAuth, githubSummary, hasGithubSourceFlags, type GithubSourceFlags } from '../github-flags.js';
import { printErr } from '../../terminal/print.js';
import { UsageError } from '../../kernel/errors.js';

interface CollectFlags extends AwsSourceFlags, GithubSourceFlags, LogFlags {
  out: string;
  db: string;
  asOf?: string;
  lookback: string;
  quiet?: boolean;
}

/** Progress for the flags (src/cli/log.ts): a bar on a terminal, log lines elsewhere, nothing with -q. */
export function progressPrinter(flags: LogFlags): ProgressFn | undefined {
  return progressFor(flags).onProgress;
}

/** Run the collection the flags describe into `outDir`. Shared with `scan` without --from. */
export async function collectFromFlags(flags: AwsSourceFlags & LogFlags & { db: string; asOf?: string; lookback: string; skipIam?: boolean; pruneCache?: boolean }, outDir: string): Promise<AwsCollectResult> {
  const asOf = flags.asOf ? parseInstant(flags.asOf, '--as-of') : new Date();
  const lookbackSeconds = parseDuration(flags.lookback);
  const sources = awsSourceOptions(flags);
  if (sources.cloudtrailBucket) parseBucketUrl(sources.cloudtrailBucket); // usage error before any call
  const progress = progressPrinter(flags);
  if (!sources.cloudtrailBucket && !sources.cloudtrailApi && !flags.quiet) {
    process.stderr.write('shadowscan: no CloudTrail source (--cloudtrail-bucket or --cloudtrail-api): collecting IAM only, no behaviour\n');
  }
  return runCollect({
    ...sources,
    outDir,
    dbPath: flags.db,
    windowStart: new Date(asOf.getTime() - lookbackSeconds * 1000),
    windowEnd: asOf,
    ...(flags.skipIam ? { skipIam: true } : {}),
    ...(flags.pruneCache ? { pruneCache: true } : {}),
    ...(progress ? { onProgress: progress } : {}),
  });
}

/** Collect the GitHub orgs the flags name into `outDir`/github/<org>/; returns the summary text. */
export async function collectGithubFromFlags(flags: GithubSourceFlags & LogFlags, outDir: string): Promise<string> {
  const auth = githubAuth(flags);
  const progress = progressPrinter(flags);
  const results = await collectGithub({ orgs: flags.githubOrg, outDir, auth, ...(progress ? { onProgress: progress } : {}) });
  // A rejected token is not a partial collection: say so and fail (exit 2), naming the orgs.
  const rejected = results.filter((r) => r.gaps.some((g) => g.status === 401));
  if (rejected.length > 0) {
    throw new UsageError(`GitHub authentication failed for ${rejected.map((r) => r.org).join(', ')}: bad or expired token (401 Bad credentials); check GITHUB_TOKEN / GH_TOKEN or the GitHub App id and key\n${githubSummary(results, outDir).trimEnd()}`);
  }
  return githubSummary(results, outDir);
}

/** One line per account and source, then the gaps: what a person checks after a collection. */
export function summary(r: AwsCollectResult, outDir: string): string {
  const lines = [`collected ${r.accounts.length} account(s) into ${outDir}`];
  for (const i of r.iam) lines.push(`  ${i.account}: ${i.users} users, ${i.roles} roles, ${i.keys} access keys`);
  for (const l of r.lookup) lines.push(`  ${l.account}: LookupEvents ${l.events} new event(s) in ${l.calls} call(s)`);
  if (r.s3) lines.push(`  CloudTrail S3: ${r.s3.listed} object(s) in the window, ${r.s3.downloaded} downloaded, ${r.s3.skipped} already cached${r.s3.pruned ? `, ${r.s3.pruned} from before the window deleted from the cache` : ''}`);
  if (r.gaps.length > 0) {
    lines.push(`coverage gaps (${r.gaps.length}):`);
    for (const g of r.gaps) lines.push(`  ${g.source}: ${g.detail}`);
  }
  return lines.join('\n') + '\n';
}

/** `shadowscan collect`. */
export function register(program: Command): void {
  const cmd = program.command('collect')
    .description('collect IAM and CloudTrail from live AWS, and GitHub orgs (--github-org), into an offline export directory (read with scan --from DIR)')
    .requiredOption('--out <dir>', 'export directory to write (aws/iam/<account>/, aws/AWSLogs/, aws/lookup-events-*.json, github/<org>/, coverage-gaps.json)')
    .option('--db <path>', 'DuckDB file holding incremental state (S3 keys + ETags, LookupEvents progress)', DEFAULT_DB_PATH)
    .option('--as-of <iso>', 'end of the CloudTrail window (default: now)')
    .option('--lookback <duration>', 'length of the CloudTrail window, e.g. 90d, 12h', '90d')
    .option('-q, --quiet', 'no progress or summary on stderr');
  addLogOptions(cmd);
  addGithubSourceOptions(addAwsSourceOptions(cmd)).action(async (flags: CollectFlags) => {
    // AWS unless only GitHub was asked for (--github-org without any AWS flag).
    if (hasAwsSourceFlags(flags) || !hasGithubSourceFlags(flags)) {
      const result = await collectFromFlags(flags, flags.out);
      if (!flags.quiet) printErr(summary(result, flags.out).trimEnd());
    }
    if (hasGithubSourceFlags(flags)) {
      const text = await collectGithubFromFlags(flags, flags.out);
      if (!flags.quiet) printErr(text.trimEnd());
    }
    process.exitCode = ExitCode.ok;
  });
}
