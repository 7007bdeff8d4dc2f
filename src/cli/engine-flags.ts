/**
 * CloudTrail from a query engine: the flags `scan` and `daemon` share (same flags, same meaning). The rollup runs
 * on Trino (`--trino URL --trino-table catalog.schema.table`) or Athena (`--athena-table database.table`), over
 * the window's partitions; only its rows come back. IAM and GitHub still come from `--from` or live collection.
 */
import { type Command } from 'commander';
import { AthenaEngine } from '../connectors/engine/athena.js';
import { type RollupEngine } from '../connectors/engine/engine.js';
import { parseByteSize } from '../kernel/byte-size.js';
import { TrinoEngine } from '../connectors/engine/trino.js';
import { UsageError, errorMessage } from '../kernel/errors.js';
import type { CloudTrailEngineSource } from '../pipeline/pipeline.js';

/** Environment variable holding the Trino password (basic auth); never a flag, never printed. */
export const TRINO_PASSWORD_ENV = 'SHADOWSCAN_TRINO_PASSWORD';

/** Parsed engine flags. */
export interface EngineFlags {
  trino?: string;
  trinoTable?: string;
  trinoUser?: string;
  athenaTable?: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  athenaRegion?: string;
  athenaCatalog?: string;
  athenaResults?: string;
  trailPartitionColumn: string;
  maxScanBytes?: string;
}

/** Add the engine flags to a command. */
export function addEngineOptions(cmd: Command): Command {
  return cmd
    .option('--trino <url>', `run the CloudTrail rollup on this Trino coordinator (password, if any, in $${TRINO_PASSWORD_ENV}); trail files under --from are then not read`)
    .option('--trino-table <catalog.schema.table>', 'the CloudTrail table on Trino (the standard Athena CloudTrail columns; see README)')
    .option('--trino-user <name>', 'Trino user (default: shadowscan)')
    .option('--athena-table <database.table>', 'run the CloudTrail rollup on Athena over this table (AWS\'s documented CloudTrail table); trail files under --from are then not read')
    .option('--athena-workgroup <name>', 'Athena workgroup (default: primary)')
    .option('--athena-output <s3url>', 'Athena query result location, s3://bucket/prefix/ (default: the workgroup\'s)')
    .option('--athena-region <region>', 'Athena region (default: $AWS_REGION, else us-east-1)')
    .option('--athena-catalog <name>', 'Athena data catalog (default: AwsDataCatalog)')
    .option('--athena-results <how>', 'how Athena results come back: unload (UNLOAD to Parquet under --athena-output, downloaded and deleted; falls back to paged when denied) or paged (GetQueryResults, 1,000 rows a call) (default: unload)')
    .option('--trail-partition-column <name>', 'the table\'s date partition column (yyyy/MM/dd values) the window is limited to; "none" reads every partition', 'timestamp')
    .option('--max-scan-bytes <size>', 'stop an engine query that reads more than this (e.g. 50GB); Trino enforces it, Athena is stopped when it reports more');
}

/** The engine source the flags ask for, or undefined (local trail files). Errors name the flag. */
export function engineFromFlags(f: EngineFlags): CloudTrailEngineSource | undefined {
  if (f.trino !== undefined && f.athenaTable !== undefined) throw new UsageError('--trino and --athena-table: choose one engine');
  if (f.trinoTable !== undefined && f.trino === undefined) throw new UsageError('--trino-table needs --trino URL');
  for (const flag of ['athenaWorkgroup', 'athenaOutput', 'athenaRegion', 'athenaCatalog', 'athenaResults'] as const) {
    if (f[flag] !== undefined && f.athenaTable === undefined) throw new UsageError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --athena-table`);
  }
  const maxScanBytes = f.maxScanBytes === undefined ? undefined : parseByteSize(f.maxScanBytes);
  if (f.maxScanBytes !== undefined && maxScanBytes === undefined) throw new UsageError(`--max-scan-bytes ${f.maxScanBytes}: expected a size such as 500000000, 10GB or 1TiB`);
  if (f.trino === undefined && f.athenaTable === undefined) {
    if (maxScanBytes !== undefined) throw new UsageError('--max-scan-bytes limits an engine query: it needs --trino or --athena-table');
    return undefined;
  }
  const dateColumn = f.trailPartitionColumn === 'none' ? null : f.trailPartitionColumn;
  if (dateColumn !== null && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(dateColumn)) throw new UsageError(`--trail-partition-column ${dateColumn}: expected a column name or "none"`);
  let engine: RollupEngine;
  try {
    if (f.trino !== undefined) {
      if (!/^https?:\/\/[^\s/]+/.test(f.trino)) throw new UsageError(`--trino ${f.trino}: expected http(s)://host:port`);
      if (f.trinoTable === undefined) throw new UsageError('--trino needs --trino-table catalog.schema.table');
      const password = process.env[TRINO_PASSWORD_ENV];
      engine = new TrinoEngine({ url: f.trino, table: f.trinoTable, ...(f.trinoUser ? { user: f.trinoUser } : {}), ...(password ? { password } : {}) });
    } else {
      if (f.athenaOutput !== undefined && !/^s3:\/\/[^/']+(\/[^']*)?$/.test(f.athenaOutput)) throw new UsageError(`--athena-output ${f.athenaOutput}: expected s3://bucket/prefix/`);
      if (f.athenaResults !== undefined && f.athenaResults !== 'unload' && f.athenaResults !== 'paged') throw new UsageError(`--athena-results ${f.athenaResults}: expected unload or paged`);
      engine = new AthenaEngine({
        table: f.athenaTable!,
        region: f.athenaRegion ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
        ...(f.athenaWorkgroup ? { workgroup: f.athenaWorkgroup } : {}),
        ...(f.athenaOutput ? { outputLocation: f.athenaOutput } : {}),
        ...(f.athenaCatalog ? { catalog: f.athenaCatalog } : {}),
        ...(f.athenaResults ? { results: f.athenaResults as 'unload' | 'paged' } : {}),
      });
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${f.trino !== undefined ? '--trino-table' : '--athena-table'}: ${errorMessage(e)}`);
  }
  return { engine, dateColumn, ...(maxScanBytes !== undefined ? { maxScanBytes } : {}) };
}
