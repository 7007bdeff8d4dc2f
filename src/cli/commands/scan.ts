import { existsSync, rmSync } from 'node:fs';
import { addLogOptions, type LogFlags } from '../log.js';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { FORMATS } from '../../../reports/index.js';
import { gateViolations, parseGate, type GatePolicy } from '../../pipeline/diff.js';
import { parseInstant } from '../../kernel/duration.js';
import { ExitCode, UsageError } from '../../kernel/errors.js';
import { runPipeline } from '../../pipeline/pipeline.js';
import { redact } from '../../kernel/redact.js';
import { SEVERITIES, emptySourceGaps, severityRank, type ScanReport, type Severity } from '../../kernel/types.js';
import { createSink, parseSinkSpec, SINK_ENV, type SinkSpec } from '../../sinks/index.js';
import { DEFAULT_DB_PATH, Store } from '../../store/db.js';
import { addAnalysisOptions, addSelectionOptions, collect, parseParams, resolveAnalysis, type AnalysisFlags } from '../analysis-flags.js';
import { addEngineOptions, engineFromFlags, type EngineFlags } from '../engine-flags.js';
import { addAwsSourceOptions, hasAwsSourceFlags, type AwsSourceFlags } from '../aws-flags.js';
import { addGithubSourceOptions, hasGithubSourceFlags, type GithubSourceFlags } from '../github-flags.js';
import { blockContext, emitBlockMessage } from '../block.js';
import { emitReports, parseFormats, readBaseline, storedContext } from '../output.js';
import { collectFromFlags, collectGithubFromFlags, progressPrinter, summary } from './collect.js';
import { printErr } from '../../terminal/print.js';

/** Where `scan` without --from keeps what it collects (the local content cache). */
export const DEFAULT_CACHE_DIR = './.shadowscan/cache';

interface ScanFlags extends AwsSourceFlags, GithubSourceFlags, AnalysisFlags, EngineFlags, LogFlags {
  from?: string;
  allowEmpty?: boolean;
  cache: string;
  db: string;
  asOf?: string;
  format?: string;
  output?: string;
  outputDir?: string;
  failOn?: string;
  baseline?: string;
  sink: string[];
  quiet?: boolean;
  blockMessage?: string;
}

/** Re-exported for commands that already import them from here. */
export { collect, parseParams };

/** Exit code for a report under `--fail-on SEVERITY` (any finding at or above it). */
export function gateExitCode(report: ScanReport, failOn: Severity | undefined): number {
  if (!failOn) return ExitCode.ok;
  // Suppressed findings (report.suppressed) are accepted risks: listed, but they never fail the gate.
  return report.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? ExitCode.policy : ExitCode.ok;
}

/** Parse `--fail-on` (`high` or `new:high`). */
export function parseFailOn(text: string | undefined): GatePolicy | undefined {
  if (text === undefined) return undefined;
  const p = parseGate(text, SEVERITIES);
  if (!p) throw new UsageError(`--fail-on ${text}: expected SEVERITY or new:SEVERITY, SEVERITY one of ${SEVERITIES.join(', ')}`);
  return p;
}

const say = (quiet: boolean | undefined, m: string): void => { if (!quiet) printErr(m); };

export async function scanCommand(flags: ScanFlags): Promise<number> {
  // Config file first (flags win over it); every input file is checked before a (possibly long) live collection.
  const analysis = resolveAnalysis(flags);
  const asOf = flags.asOf ? parseInstant(flags.asOf, '--as-of') : new Date();
  const formats = parseFormats(flags.format, process.stdout.isTTY && !flags.output && !flags.outputDir ? 'table' : 'json', flags);
  const gate = parseFailOn(flags.failOn);
  const baseline = flags.baseline ? readBaseline(flags.baseline) : undefined;
  const sinkSpecs: SinkSpec[] = flags.sink.map((s) => parseSinkSpec(s));
  if (sinkSpecs.some((s) => s.kind === 'webhook') && !process.env[SINK_ENV.webhookSecret]) {
    say(false, `warning: ${SINK_ENV.webhookSecret} is not set; webhook requests are sent unsigned`);
  }
  const progress = progressPrinter(flags);
  const cloudtrailEngine = engineFromFlags(flags);

  let from = flags.from;
  if (from === undefined) {
    // Live: collect into the cache (CloudTrail is fetched incrementally and days before the window are pruned;
    // IAM is re-read every time).
    from = flags.cache;
    // AWS unless only GitHub was asked for; GitHub when --github-org is given.
    if (hasAwsSourceFlags(flags) || !hasGithubSourceFlags(flags)) {
      rmSync(join(from, 'aws', 'iam'), { recursive: true, force: true });
      const collected = await collectFromFlags({ ...flags, lookback: analysis.lookbackText, pruneCache: true }, from);
      if (progress) progress(summary(collected, from).trimEnd());
    }
    if (hasGithubSourceFlags(flags)) {
      const gh = await collectGithubFromFlags(flags, from);
      if (progress) progress(gh.trimEnd());
    }
  } else if (hasAwsSourceFlags(flags) || hasGithubSourceFlags(flags)) {
    throw new UsageError('--from reads an offline export; live source flags (--aws-profile, --org, --cloudtrail-*, --github-org, …) collect one: use one or the other');
  }
  if (!existsSync(from)) throw new UsageError(`--from ${from}: no such directory`);
  const store = await Store.open(flags.db);
  try {
    // What this run is compared with (diff → events, --fail-on new:): the --baseline report, else the previous run in this database.
    const { report, base, events } = await runPipeline({
      from,
      dbPath: flags.db,
      store,
      asOf,
      ...analysis,
      compareWith: baseline ?? 'previous',
      ...(progress ? { onProgress: progress } : {}),
      ...(cloudtrailEngine ? { cloudtrailEngine } : {}),
      // Live: CloudTrail is asked for with a trail bucket, LookupEvents or an engine; offline: by the export's aws/ folder.
      ...(flags.from === undefined ? { expectCloudTrail: Boolean(flags.cloudtrailBucket || flags.cloudtrailApi || cloudtrailEngine) } : {}),
    });

    let deliveryFailed = false;
    if (sinkSpecs.length > 0) {
      for (const spec of sinkSpecs) {
        const sink = createSink(spec, report.run);
        const r = await sink.deliver(events);
        if (r.ok) {
          say(flags.quiet, `sink ${sink.name}: delivered ${r.delivered} event(s)`);
        } else {
          deliveryFailed = true;
          const detail = `delivery failed: ${redact(r.error)}; ${r.delivered} of ${events.length} event(s) delivered`;
          printErr(`sink ${sink.name}: ${detail}`);
          const gap = { source: `sink ${sink.name}`, detail };
          report.run.coverage_gaps.push(gap);
          await store.append('coverage_gaps', ['run_id', 'source', 'detail'], [[report.run.id, gap.source, gap.detail]]);
        }
      }
    }

    const ctx = await storedContext(store, report.run.id);
    emitReports(formats, report, ctx, flags, flags.quiet);

    let code: number = ExitCode.ok;
    if (gate) {
      if (gate.onlyNew && !base) say(flags.quiet, `--fail-on ${flags.failOn}: no previous run in ${flags.db} and no --baseline; every finding counts as new`);
      const violations = gateViolations(report, gate, base ? new Set(base.report.findings.map((f) => f.id)) : null);
      if (violations.length > 0) {
        code = ExitCode.policy;
        say(flags.quiet, `--fail-on ${flags.failOn}: ${violations.length} ${gate.onlyNew ? 'new ' : ''}finding(s) at or above ${gate.severity}`);
        emitBlockMessage(flags.blockMessage, violations, blockContext(`shadowscan scan --fail-on ${flags.failOn}`, asOf, analysis, report.findings));
      }
    }
    const empty = emptySourceGaps(report.run.coverage_gaps);
    if (empty.length > 0 && !flags.allowEmpty) {
      // The report is written; the exit code says it read nothing where something was asked for.
      for (const g of empty) process.stderr.write(`shadowscan: ${g.source}: ${g.detail}\n`);
      if (code === ExitCode.ok) code = ExitCode.usage;
    }
    if (code === ExitCode.ok && deliveryFailed) code = ExitCode.delivery;
    return code;
  } finally {
    store.close();
  }
}

/** `shadowscan scan`. */
export function register(program: Command): void {
  const cmd = program.command('scan')
    .description('inventory non-human identities and report risks: from an offline export (--from), or collected live from AWS')
    .option('--from <dir>', 'offline export directory (aws/AWSLogs, aws/lookup-events*.json, aws/iam/<account>/); without it, collect live')
    .option('--cache <dir>', 'where a live scan keeps what it collects (CloudTrail is fetched incrementally; days before the window are deleted)', DEFAULT_CACHE_DIR)
    .option('--db <path>', 'DuckDB database file (every run is kept in it)', DEFAULT_DB_PATH)
    .option('--as-of <iso>', 'end of the analysis window (default: now)')
    .option('--format <formats>', `output format, or several comma-separated with --output-dir: ${FORMATS.join(', ')} (default: table on a terminal, json otherwise)`)
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--output-dir <dir>', 'write one file per --format into DIR, named shadowscan.<ext> (json, sarif, html, ocsf.json, …)')
    .option('--fail-on <policy>', `exit 1 when a finding at or above SEVERITY exists, or with new:SEVERITY only findings new since the previous run / --baseline (${SEVERITIES.join('|')})`)
    .option('--baseline <file>', 'a previous JSON report: what --fail-on new:SEVERITY and sinks compare with (default: the previous run in --db)')
    .option('--sink <kind:target>', 'deliver finding events: jsonl:PATH, webhook:URL (signed with $SHADOWSCAN_WEBHOOK_SECRET), splunk-hec:URL (token in $SPLUNK_HEC_TOKEN); repeatable', collect, [])
    .option('--block-message <file>', 'when --fail-on fails: write what the developer must do (Markdown, for a PR comment or job summary) to FILE, and the same as text on stderr')
    .option('--allow-empty', 'a requested source that yields nothing (no CloudTrail record in the export or bucket) is still a coverage gap, but does not make the exit code 2')
    .option('-q, --quiet', 'no progress or log lines on stderr');
  addLogOptions(cmd);
  addEngineOptions(addSelectionOptions(addAnalysisOptions(addGithubSourceOptions(addAwsSourceOptions(cmd))))).action(async (flags: ScanFlags) => {
    process.exitCode = await scanCommand(flags);
  });
}
