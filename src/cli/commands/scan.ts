import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { renderJson } from '../../../reports/json.js';
import { renderTable } from '../../../reports/table.js';
import { parseDuration, parseInstant } from '../../core/duration.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { runScan } from '../../core/pipeline.js';
import { SEVERITIES, severityRank, type ScanReport, type Severity } from '../../core/types.js';
import { DEFAULT_DB_PATH } from '../../store/db.js';

/** Formats `scan --format` accepts. */
const FORMATS = ['table', 'json'] as const;

interface ScanFlags {
  from: string;
  db: string;
  asOf?: string;
  lookback: string;
  format?: string;
  output?: string;
  failOn?: string;
  detectors: string[];
  param: string[];
  quiet?: boolean;
}

export const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Parse `--param id.name=value` / `--param name=value` flags. */
export function parseParams(list: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${p}: expected NAME=VALUE or DETECTOR.NAME=VALUE`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** Exit code for a report under `--fail-on SEVERITY`. */
export function gateExitCode(report: ScanReport, failOn: Severity | undefined): number {
  if (!failOn) return ExitCode.ok;
  return report.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? ExitCode.policy : ExitCode.ok;
}

export async function scanCommand(flags: ScanFlags): Promise<number> {
  const asOf = flags.asOf ? parseInstant(flags.asOf, '--as-of') : new Date();
  const lookbackSeconds = parseDuration(flags.lookback);
  const format = flags.format ?? (process.stdout.isTTY && !flags.output ? 'table' : 'json');
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: expected one of ${FORMATS.join(', ')}`);
  const failOn = flags.failOn as Severity | undefined;
  if (failOn && !SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on ${failOn}: expected one of ${SEVERITIES.join(', ')}`);
  const progress = flags.quiet || !process.stderr.isTTY ? undefined : (m: string) => process.stderr.write(`shadowscan: ${m}\n`);
  const report = await runScan({
    from: flags.from,
    dbPath: flags.db,
    asOf,
    lookbackSeconds,
    lookbackText: flags.lookback,
    detectorDirs: flags.detectors,
    params: parseParams(flags.param),
    ...(progress ? { onProgress: progress } : {}),
  });
  const text = format === 'json'
    ? renderJson(report)
    : renderTable(report, { width: process.stdout.columns ?? 120, color: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'] && !flags.output });
  if (flags.output) {
    writeFileSync(flags.output, text);
    if (!flags.quiet) process.stderr.write(`shadowscan: wrote ${format} report to ${flags.output}\n`);
  } else {
    process.stdout.write(text);
  }
  return gateExitCode(report, failOn);
}

/** `shadowscan scan`. */
export function register(program: Command): void {
  program.command('scan')
    .description('scan an offline AWS export: inventory non-human identities and report risks')
    .requiredOption('--from <dir>', 'offline export directory (aws/AWSLogs, aws/lookup-events*.json, aws/iam/<account>/)')
    .option('--db <path>', 'DuckDB database file', DEFAULT_DB_PATH)
    .option('--as-of <iso>', 'end of the analysis window (default: now)')
    .option('--lookback <duration>', 'length of the analysis window, e.g. 90d, 12h', '90d')
    .addOption(new Option('--format <format>', 'output format (default: table on a terminal, json otherwise)').choices([...FORMATS]))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists').choices([...SEVERITIES]))
    .option('--detectors <dir>', 'add detectors from a directory (repeatable)', collect, [])
    .option('--param <name=value>', 'override a detector parameter, e.g. aws/stale.days=60 (repeatable)', collect, [])
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (flags: ScanFlags) => {
      process.exitCode = await scanCommand(flags);
    });

}
