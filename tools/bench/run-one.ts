/** One measured run for the benchmark, in its own process: `baseline DIR` or `scan DIR`. Prints one JSON line. */
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runScan } from '../../src/pipeline/pipeline.js';
import { RECORD_TYPE } from '../../src/store/cloudtrail-schema.js';
import { quoteLiteral, Store } from '../../src/store/db.js';
import { listCloudTrailFiles } from '../../src/store/load-cloudtrail.js';

/** The floor: one read_json over the same files (trail files and LookupEvents exports), one GROUP BY. */
async function baseline(dir: string): Promise<number> {
  const files = listCloudTrailFiles(join(dir, 'aws', 'AWSLogs'));
  const lookups = readdirSync(join(dir, 'aws')).filter((f) => /^lookup-events.*\.json$/.test(f)).map((f) => join(dir, 'aws', f));
  const opts = `format = 'unstructured', records = true, maximum_object_size = 1073741824`;
  const sources = [`SELECT unnest(Records) AS r FROM read_json([${files.map(quoteLiteral).join(',')}], columns = {Records: '${RECORD_TYPE}[]'}, ${opts})`];
  if (lookups.length > 0) {
    sources.push(`SELECT TRY_CAST(e.CloudTrailEvent::JSON AS ${RECORD_TYPE}) AS r FROM (SELECT unnest(Events) AS e FROM read_json([${lookups.map(quoteLiteral).join(',')}],
      columns = {Events: 'STRUCT(EventId VARCHAR, CloudTrailEvent VARCHAR)[]'}, ${opts}))`);
  }
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const r = await c.runAndReadAll(`SELECT count(*) AS groups, sum(n) AS records FROM (
    SELECT r.userIdentity.arn, r.userIdentity.accessKeyId, r.userAgent, r.sourceIPAddress, r.eventName, r.errorCode,
      date_trunc('hour', TRY_CAST(r.eventTime AS TIMESTAMP)), count(*) AS n
    FROM (${sources.join(' UNION ALL ')})
    GROUP BY ALL)`);
  return Number(r.getRowObjectsJS()[0]?.['records'] ?? 0);
}

async function scan(dir: string): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'shadowscan-bench-db-'));
  try {
    const report = await runScan({
      from: dir, dbPath: join(work, 'bench.duckdb'), asOf: new Date('2026-11-20T00:00:00Z'),
      lookbackSeconds: 90 * 86400, lookbackText: '90d',
    });
    return report.run.counts.cloudtrail_records;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The daemon's runs on one store (as the daemon keeps it): its first run, its next run with no new file at the
 * same as-of (idle), one 5 minutes later (idle, within the daemon's default --recompute-every 1h: reused), and
 * one 2 hours later (idle, beyond it: the model and detectors are recomputed: the fixed cost of a moved window).
 */
async function daemonRuns(dir: string): Promise<{ records: number; first: number; idle: number; idle_moved: number; recompute: number; reused: boolean[] }> {
  const work = mkdtempSync(join(tmpdir(), 'shadowscan-bench-db-'));
  const store = await Store.open(join(work, 'bench.duckdb'));
  const asOf = Date.parse('2026-11-20T00:00:00Z');
  try {
    const run = async (offsetMs: number): Promise<[number, number, boolean]> => {
      const t = process.hrtime.bigint();
      const report = await runScan({
        from: dir, dbPath: join(work, 'bench.duckdb'), store, incremental: true, asOf: new Date(asOf + offsetMs),
        lookbackSeconds: 90 * 86400, lookbackText: '90d', reuseWithinSeconds: 3600,
      });
      const reused = report.run.sources.some((s) => s.startsWith('results: reused from'));
      return [Number(process.hrtime.bigint() - t) / 1e9, report.run.counts.cloudtrail_records, reused];
    };
    const [first, records, r0] = await run(0);
    const [idle, , r1] = await run(0);
    const [idleMoved, , r2] = await run(5 * 60_000);
    const [recompute, , r3] = await run(2 * 3600_000);
    const f = (x: number): number => Number(x.toFixed(3));
    return { records, first: f(first), idle: f(idle), idle_moved: f(idleMoved), recompute: f(recompute), reused: [r0, r1, r2, r3] };
  } finally {
    store.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const [mode, dir] = process.argv.slice(2);
if (!dir || (mode !== 'baseline' && mode !== 'scan' && mode !== 'daemon')) {
  process.stderr.write('usage: run-one.js baseline|scan|daemon DIR\n');
  process.exit(2);
}
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
let extra: Record<string, number | boolean[]> = {};
let records: number;
if (mode === 'daemon') {
  const d = await daemonRuns(dir);
  records = d.records;
  extra = { first_seconds: d.first, idle_seconds: d.idle, idle_moved_seconds: d.idle_moved, recompute_seconds: d.recompute, reused: d.reused };
} else {
  records = mode === 'baseline' ? await baseline(dir) : await scan(dir);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ seconds: Number(seconds.toFixed(3)), cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), records, ...extra }) + '\n');
