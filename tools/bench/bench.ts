/**
 * `npm run bench`: scan speed, memory and the daemon's idle run, against the bare floor, in one run.
 *
 *   node dist/tools/bench/bench.js [--records 1000000,10000000] [--dir-prefix P] [--reps R] [--memory-limit 500MB|none]
 *
 * For each size, generates the records with the demo generator (cached in P-N, default $TMPDIR/shadowscan-bench-N),
 * then alternates, R times each, in fresh child processes: the baseline (one DuckDB read_json over all files with
 * the same columns schema and a GROUP BY, trail files and LookupEvents exports alike) and the full
 * `shadowscan scan` of the same export; reports the best times, their ratio and peak RSS. Then, at the smallest
 * size, the daemon's first run and its next runs with no new file (same as-of, 5 min later: results reused; 2 h later:
 * recomputed), in one process on one database. All ratios come
 * from this one run, against the targets of issue 18.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Measure { seconds: number; cpuSeconds: number; maxRssMb: number; records?: number; first_seconds?: number; idle_seconds?: number; idle_moved_seconds?: number; recompute_seconds?: number; reused?: boolean[] }

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

function dirSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else { files++; bytes += st.size; }
    }
  };
  walk(dir);
  return { files, bytes };
}

function runChild(mode: 'baseline' | 'scan' | 'daemon', dir: string, memoryLimit?: string): Measure {
  const child = fileURLToPath(new URL('./run-one.js', import.meta.url));
  const env = memoryLimit ? { ...process.env, SHADOWSCAN_MEMORY_LIMIT: memoryLimit } : process.env;
  const res = spawnSync(process.execPath, [child, mode, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env });
  if (res.status !== 0) throw new Error(`${mode} failed: ${res.stderr}`);
  const line = res.stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(line) as Measure;
}

function ensureGenerated(records: number, dir: string): void {
  if (existsSync(join(dir, 'aws'))) return;
  process.stderr.write(`generating ${records} records into ${dir} …\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const gen = fileURLToPath(new URL('../demo/generate.js', import.meta.url));
  const t0 = Date.now();
  const g = spawnSync(process.execPath, [gen, '--out', dir, '--records', String(records), '--force'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (g.status !== 0) throw new Error('generator failed');
  process.stderr.write(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

const best = (m: Measure[]): Measure => m.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const r2 = (x: number): number => Number(x.toFixed(2));

function measureSize(records: number, dir: string, reps: number, memoryLimit?: string) {
  ensureGenerated(records, dir);
  const size = dirSize(join(dir, 'aws'));
  const base: Measure[] = [];
  const scan: Measure[] = [];
  const bounded: Measure[] = [];
  for (let i = 0; i < reps; i++) {
    process.stderr.write(`${records}: baseline ${i + 1}/${reps}, scan ${i + 1}/${reps}${memoryLimit ? `, scan under SHADOWSCAN_MEMORY_LIMIT=${memoryLimit}` : ''} …\n`);
    base.push(runChild('baseline', dir));
    scan.push(runChild('scan', dir));
    if (memoryLimit) bounded.push(runChild('scan', dir, memoryLimit));
  }
  const b = best(base);
  const s = best(scan);
  const m = bounded.length > 0 ? best(bounded) : undefined;
  return {
    records,
    cloudtrail_records_loaded: s.records,
    files: size.files,
    compressed_mb: Math.round(size.bytes / 1e6),
    baseline_seconds: b.seconds,
    scan_seconds: s.seconds,
    ratio: r2(s.seconds / b.seconds),
    ratio_cpu: r2(Math.min(...scan.map((m) => m.cpuSeconds)) / Math.min(...base.map((m) => m.cpuSeconds))),
    baseline_peak_rss_mb: Math.max(...base.map((m) => m.maxRssMb)),
    scan_peak_rss_mb: Math.max(...scan.map((m) => m.maxRssMb)),
    ...(m && memoryLimit ? { bounded_memory: {
      memory_limit: memoryLimit, scan_seconds: m.seconds, ratio: r2(m.seconds / b.seconds),
      ratio_cpu: r2(Math.min(...bounded.map((x) => x.cpuSeconds)) / Math.min(...base.map((x) => x.cpuSeconds))),
      scan_peak_rss_mb: Math.max(...bounded.map((x) => x.maxRssMb)), runs: bounded.map((x) => [x.seconds, x.cpuSeconds]),
    } } : {}),
    runs: { baseline: base.map((x) => [x.seconds, x.cpuSeconds]), scan: scan.map((x) => [x.seconds, x.cpuSeconds]) },
  };
}

async function main(): Promise<void> {
  const sizes = arg('--records', '1000000,10000000').split(',').map(Number).sort((a, b) => a - b);
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--records: comma-separated positive integers');
  const reps = Number(arg('--reps', '2'));
  const prefix = arg('--dir-prefix', join(tmpdir(), 'shadowscan-bench'));
  // The largest size is also scanned under a DuckDB memory limit (`--memory-limit none` to skip): the default lets
  // DuckDB take 80% of RAM; this is the footprint a user who sets SHADOWSCAN_MEMORY_LIMIT gets, and what it costs.
  const limitArg = arg('--memory-limit', '500MB');
  const memoryLimit = limitArg === 'none' ? undefined : limitArg;
  const results = sizes.map((n, i) => measureSize(n, `${prefix}-${n}`, reps, i === sizes.length - 1 ? memoryLimit : undefined));
  process.stderr.write(`daemon: first run and idle run at ${sizes[0]} …\n`);
  const d = runChild('daemon', `${prefix}-${sizes[0]}`);
  const small = results[0]!;
  const large = results[results.length - 1]!;
  const out = {
    sizes: results,
    linearity: sizes.length > 1 ? { records_ratio: r2(large.records / small.records), scan_time_ratio: r2(large.scan_seconds / small.scan_seconds) } : null,
    daemon: {
      records: d.records, first_run_seconds: d.first_seconds, idle_run_seconds: d.idle_seconds, idle_ratio: r2((d.idle_seconds ?? 0) / (d.first_seconds ?? 1)),
      idle_run_5min_later_seconds: d.idle_moved_seconds, idle_5min_ratio: r2((d.idle_moved_seconds ?? 0) / (d.first_seconds ?? 1)),
      recompute_2h_later_seconds: d.recompute_seconds, recompute_ratio: r2((d.recompute_seconds ?? 0) / (d.first_seconds ?? 1)),
      results_reused: { first: d.reused?.[0], idle: d.reused?.[1], idle_5min_later: d.reused?.[2], recompute_2h_later: d.reused?.[3] },
      peak_rss_mb: d.maxRssMb,
    },
    targets: {
      [`scan/bare at ${small.records} <= 1.3`]: small.ratio <= 1.3,
      ...(sizes.length > 1 ? {
        [`scan/bare at ${large.records} <= 1.15`]: large.ratio <= 1.15,
        [`peak RSS at ${large.records} <= 1024 MB`]: large.scan_peak_rss_mb <= 1024,
        ...(large.bounded_memory ? { [`peak RSS at ${large.records} <= 1024 MB under SHADOWSCAN_MEMORY_LIMIT=${large.bounded_memory.memory_limit}`]: large.bounded_memory.scan_peak_rss_mb <= 1024 } : {}),
        [`scan time ${large.records}/${small.records} <= ${r2(1.1 * large.records / small.records)}`]: large.scan_seconds / small.scan_seconds <= 1.1 * large.records / small.records,
      } : {}),
      'daemon idle/first <= 0.10': (d.idle_seconds ?? 1) / (d.first_seconds ?? 1) <= 0.1,
    },
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  for (const r of results) {
    process.stderr.write(`${r.records}: scan/bare = ${r.ratio} wall, ${r.ratio_cpu} CPU; scan peak RSS ${r.scan_peak_rss_mb} MB\n`);
    if (r.bounded_memory) process.stderr.write(`${r.records} under SHADOWSCAN_MEMORY_LIMIT=${r.bounded_memory.memory_limit}: scan/bare = ${r.bounded_memory.ratio} wall, ${r.bounded_memory.ratio_cpu} CPU; peak RSS ${r.bounded_memory.scan_peak_rss_mb} MB\n`);
  }
  process.stderr.write(`daemon at ${d.records}: idle ${d.idle_seconds} s / first ${d.first_seconds} s = ${out.daemon.idle_ratio}; 5 min later ${d.idle_moved_seconds} s (${out.daemon.idle_5min_ratio}); 2 h later, recomputed ${d.recompute_seconds} s (${out.daemon.recompute_ratio})\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
