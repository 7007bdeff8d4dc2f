import { existsSync } from 'node:fs';
import { jsonLogger } from '../log.js';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { collectGithub } from '../../connectors/github/collect.js';
import { ORG_FILES, orgDir } from '../../store/github-layout.js';
import { parseDurationMs } from '../../kernel/duration.js';
import { UsageError } from '../../kernel/errors.js';
import type { RunStep } from '../../pipeline/pipeline.js';
import { redactValue } from '../../kernel/redact.js';
import { emptyRunCounts, type RunInfo } from '../../kernel/types.js';
import { Daemon, type DaemonLog } from '../../daemon/daemon.js';
import type { DaemonSink } from '../../daemon/delivery.js';
import { parseListen } from '../../daemon/http.js';
import { parseSchedule } from '../../daemon/schedule.js';
import { exportJob, type SourceJob } from '../../daemon/sources.js';
import { createSink, parseSinkSpec, SINK_ENV } from '../../sinks/index.js';
import { DEFAULT_DB_PATH } from '../../store/db.js';
import { lockIdentity } from '../../store/lock.js';
import { addAnalysisOptions, addSelectionOptions, collect, resolveAnalysis, type AnalysisFlags } from '../analysis-flags.js';
import { addEngineOptions, engineFromFlags, type EngineFlags } from '../engine-flags.js';
import { addAwsSourceOptions, awsSourceOptions, hasAwsSourceFlags, type AwsSourceFlags } from '../aws-flags.js';
import { addGithubSourceOptions, githubAuth, hasGithubSourceFlags, type GithubSourceFlags } from '../github-flags.js';
import { collectFromFlags } from './collect.js';
import { DEFAULT_CACHE_DIR } from './scan.js';

/** Default address of /healthz and /metrics: loopback only. */
export const DEFAULT_LISTEN = '127.0.0.1:9477';

interface DaemonFlags extends AwsSourceFlags, GithubSourceFlags, AnalysisFlags, EngineFlags {
  from?: string;
  cache: string;
  db: string;
  every?: string;
  schedule?: string;
  jitter: string;
  sink: string[];
  listen: string | false;
  iamEvery: string;
  githubEvery: string;
  deliveryBackoff: string;
  recomputeEvery: string;
  logLevel: string;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Structured JSON log lines on stderr, redacted (the only place the daemon's logs are written): src/cli/log.ts. */
export { jsonLogger };

/** `SHADOWSCAN_TEST_PAUSE=step:ms`: hold a run at a step (the crash tests kill the process there). */
function pauseFromEnv(): { step: RunStep; ms: number } | undefined {
  const v = process.env['SHADOWSCAN_TEST_PAUSE'];
  const m = v ? /^([a-z-]+):(\d+)$/.exec(v) : null;
  return m ? { step: m[1] as RunStep, ms: Number(m[2]) } : undefined;
}

/** Build the sinks: the outbox key is the sink's printable name; each delivery is bound to the events' run. */
function daemonSinks(specs: string[]): DaemonSink[] {
  const placeholder: RunInfo = {
    id: '', started_at: new Date(0).toISOString(), finished_at: new Date(0).toISOString(), as_of: new Date(0).toISOString(),
    lookback: '', sources: [], counts: emptyRunCounts(), coverage_gaps: [],
  };
  const parsed = specs.map((s) => parseSinkSpec(s));
  if (parsed.some((s) => s.kind === 'webhook') && !process.env[SINK_ENV.webhookSecret]) {
    process.stderr.write(`shadowscan: warning: webhook events are unsigned; set ${SINK_ENV.webhookSecret} to sign them\n`);
  }
  const names = new Set<string>();
  return parsed.map((spec) => {
    const name = createSink(spec, placeholder).name;
    if (names.has(name)) throw new UsageError(`--sink ${name} is given twice`);
    names.add(name);
    // The outbox retries across runs with its own backoff, so each delivery tries a little only.
    return { name, deliver: (events, run) => createSink(spec, run, process.env, { attempts: 2, backoffMs: 250 }).deliver(events) };
  });
}

/**
 * The live collection jobs, as a live `scan` collects: AWS unless only GitHub was asked for (one call
 * serves CloudTrail, every run, and IAM, every --iam-every), GitHub when --github-org is given (every
 * --github-every). Flags and credentials are checked here, at startup.
 */
export function liveJobs(flags: AwsSourceFlags & GithubSourceFlags & { db: string }, from: string, lookback: string, iamEveryMs: number, githubEveryMs: number): SourceJob[] {
  const jobs: SourceJob[] = [];
  if (hasAwsSourceFlags(flags) || !hasGithubSourceFlags(flags)) {
    const cloudtrail = Boolean(flags.cloudtrailBucket || flags.cloudtrailApi);
    awsSourceOptions(flags); // usage errors now, not at the first run
    jobs.push({
      name: 'aws',
      sources: [
        ...(cloudtrail ? [{ name: 'cloudtrail' as const, everyMs: 0 }] : []),
        { name: 'iam', everyMs: iamEveryMs, missing: () => !existsSync(join(from, 'aws', 'iam')) },
      ],
      run: async (due) => {
        const iam = due.includes('iam');
        const r = await collectFromFlags({ ...flags, lookback, quiet: true, skipIam: !iam, pruneCache: true }, from);
        return {
          refreshed: { ...(iam ? { iam: undefined } : {}), ...(due.includes('cloudtrail') ? { cloudtrail: undefined } : {}) },
          detail: { accounts: r.accounts.length, s3_downloaded: r.s3?.downloaded ?? 0, lookup_events: r.lookup.reduce((a, l) => a + l.events, 0), gaps: r.gaps.length },
        };
      },
    });
  }
  if (hasGithubSourceFlags(flags)) {
    const auth = githubAuth(flags); // no token: exit 2 at startup
    jobs.push({
      name: 'github',
      sources: [{ name: 'github', everyMs: githubEveryMs, missing: () => flags.githubOrg.some((org) => !existsSync(join(orgDir(from, org), ORG_FILES.repos))) }],
      run: async () => {
        const results = await collectGithub({ orgs: flags.githubOrg, outDir: from, auth });
        // An org whose repositories could not be listed was not refreshed (the previous files stay); other gaps are partial.
        const failed = results.flatMap((r) => r.gaps.filter((g) => g.endpoint === 'auth' || g.endpoint.endsWith(`/orgs/${r.org}/repos`)).map((g) => `${r.org}: ${g.detail}`));
        const detail = { orgs: results.length, requests: results.reduce((a, r) => a + r.stats.requests, 0), not_modified: results.reduce((a, r) => a + r.stats.notModified, 0), gaps: results.reduce((a, r) => a + r.gaps.length, 0) };
        return failed.length > 0 ? { refreshed: {}, failed: { github: failed.join('; ') }, detail } : { refreshed: { github: undefined }, detail };
      },
    });
  }
  return jobs;
}

export async function daemonCommand(flags: DaemonFlags): Promise<number> {
  if (flags.from !== undefined && !existsSync(flags.from)) throw new UsageError(`--from ${flags.from}: no such directory`);
  if (flags.from !== undefined && (hasAwsSourceFlags(flags) || hasGithubSourceFlags(flags))) {
    throw new UsageError('--from reads an offline export; live source flags (--aws-profile, --org, --cloudtrail-*, --github-org, …) collect one: use one or the other');
  }
  const schedule = parseSchedule(flags.every !== undefined ? parseDurationMs(flags.every, '--every') : undefined, flags.every, flags.schedule);
  const jitterMs = parseDurationMs(flags.jitter, '--jitter');
  // The same config file, flags and checks as `scan`: a missing --people file is exit 2 here, not a failed first run.
  const analysis = resolveAnalysis(flags);
  const cloudtrailEngine = engineFromFlags(flags);
  const iamEveryMs = parseDurationMs(flags.iamEvery, '--iam-every');
  const githubEveryMs = parseDurationMs(flags.githubEvery, '--github-every');
  const backoffMs = parseDurationMs(flags.deliveryBackoff, '--delivery-backoff');
  const recomputeEveryMs = parseDurationMs(flags.recomputeEvery, '--recompute-every');
  if (!(LEVELS as readonly string[]).includes(flags.logLevel)) throw new UsageError(`--log-level ${flags.logLevel}: expected one of ${LEVELS.join(', ')}`);
  const listen = flags.listen === false ? null : parseListen(flags.listen);
  const sinks = daemonSinks(flags.sink);
  const log = jsonLogger(flags.logLevel);
  lockIdentity.command = 'shadowscan daemon';
  const pauseAt = pauseFromEnv();

  // Live: before each run, collection jobs refresh the cache on their cadences (CloudTrail every run,
  // incrementally: S3 keys + ETags, LookupEvents ranges; IAM every --iam-every; GitHub every --github-every,
  // with ETags); the run then ingests what is new there. Offline: the export's files are re-read each run.
  const from = flags.from ?? flags.cache;
  const sources = flags.from !== undefined
    ? { mode: 'export' as const, jobs: [exportJob(from)] }
    : { mode: 'live' as const, jobs: liveJobs(flags, from, analysis.lookbackText, iamEveryMs, githubEveryMs) };

  const daemon = await Daemon.start({
    from,
    sources,
    dbPath: flags.db,
    schedule,
    jitterMs,
    recomputeEveryMs,
    analysis,
    ...(cloudtrailEngine ? { cloudtrailEngine } : {}),
    sinks,
    delivery: { backoffMs, maxBackoffMs: Math.max(backoffMs, 300_000) },
    listen,
    log,
    ...(pauseAt ? { pauseAt } : {}),
  });
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      log('warn', 'daemon.forced_exit', { signal: sig });
      process.exit(130);
    }
    void daemon.stop(sig);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  await daemon.done();
  await daemon.stop('done');
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return 0;
}

/** `shadowscan daemon`. */
export function register(program: Command): void {
  const cmd = program.command('daemon')
    .description('keep scanning on a schedule: ingest only new CloudTrail files, re-run detectors, deliver new/changed/resolved findings to sinks, serve /healthz and /metrics')
    .option('--from <dir>', 'offline export directory, read by every run: only new CloudTrail files are ingested, the IAM and GitHub folders are re-read when one of their files changed; without it, collect live')
    .option('--cache <dir>', 'where live collection keeps what it fetched (CloudTrail is fetched incrementally; days before the window are deleted)', DEFAULT_CACHE_DIR)
    .option('--db <path>', 'DuckDB database file (locked by the daemon while it runs)', DEFAULT_DB_PATH)
    .option('--every <duration>', 'run at this interval, e.g. 15m, 1h, 500ms')
    .option('--schedule <cron>', 'run on a cron schedule (UTC; 5 fields, or 6 with seconds), e.g. "*/15 * * * *"')
    .option('--jitter <duration>', 'random delay added to each run, e.g. 30s (spreads load across daemons)', '0s')
    .option('--sink <kind:target>', 'deliver finding events through the outbox: jsonl:PATH, webhook:URL, splunk-hec:URL; repeatable', collect, [])
    .option('--listen <host:port>', 'serve GET /healthz and GET /metrics here (loopback by default)', DEFAULT_LISTEN)
    .option('--no-listen', 'serve no HTTP endpoint')
    .option('--iam-every <duration>', 'live: how often IAM is collected again (the credential report is cached by AWS up to 4h); runs in between reuse the cached IAM files. With --from: no effect (the files are re-read when they change)', '4h')
    .option('--github-every <duration>', 'live (--github-org): how often GitHub is collected again (conditional requests with ETags); runs in between reuse the cached GitHub files. With --from: no effect (the files are re-read when they change)', '1h')
    .option('--recompute-every <duration>', 'when a run finds no new or changed input, reuse the previous results (evaluated at its as-of) unless they are older than this; time-only changes (a key crossing its stale threshold) show up at most this late; 0s recomputes every run', '1h')
    .option('--delivery-backoff <duration>', 'first wait after a failed delivery, doubled per failure up to 5m', '5s')
    .addOption(new Option('--log-level <level>', 'least level of the JSON log lines on stderr').choices([...LEVELS]).default('info'));
  addEngineOptions(addSelectionOptions(addAnalysisOptions(addGithubSourceOptions(addAwsSourceOptions(cmd))))).action(async (flags: DaemonFlags) => {
    process.exitCode = await daemonCommand(flags);
  });
}
