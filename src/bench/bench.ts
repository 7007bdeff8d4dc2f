/**
 * `npm run bench`: scan speed and memory against the bare floor, in one run.
 *
 *   node dist/src/bench/bench.js [--records N] [--dir DIR] [--reps R]
 *
 * Generates N CloudTrail records with the demo generator (cached in DIR), then alternates, R times each, in
 * fresh child processes: the baseline (one DuckDB read_json over all files with the same columns schema and a
 * GROUP BY, trail files and LookupEvents exports alike) and the full `shadowscan scan` of the same export. Reports the best times, their ratio and peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Measure { seconds: number; cpuSeconds: number; maxRssMb: number; records?: number }

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

function runChild(mode: 'baseline' | 'scan', dir: string): Measure {
  const child = fileURLToPath(new URL('./run-one.js', import.meta.url));
  const res = spawnSync(process.execPath, [child, mode, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`${mode} failed: ${res.stderr}`);
  const line = res.stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(line) as Measure;
}

async function main(): Promise<void> {
  const records = Number(arg('--records', '200000'));
  const reps = Number(arg('--reps', '2'));
  const dir = arg('--dir', join(tmpdir(), `shadowscan-bench-${records}`));
  if (!existsSync(join(dir, 'aws'))) {
    process.stderr.write(`generating ${records} records into ${dir} …\n`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const gen = fileURLToPath(new URL('../demo/generate.js', import.meta.url));
    const t0 = Date.now();
    const g = spawnSync(process.execPath, [gen, '--out', dir, '--records', String(records)], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (g.status !== 0) throw new Error('generator failed');
    process.stderr.write(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const size = dirSize(join(dir, 'aws'));
  const base: Measure[] = [];
  const scan: Measure[] = [];
  for (let i = 0; i < reps; i++) {
    base.push(runChild('baseline', dir));
    scan.push(runChild('scan', dir));
  }
  const best = (m: Measure[]): Measure => m.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)] ?? 0; };
  const b = best(base);
  const s = best(scan);
  const bCpu = Math.min(...base.map((m) => m.cpuSeconds));
  const sCpu = Math.min(...scan.map((m) => m.cpuSeconds));
  const out = {
    records,
    cloudtrail_records_loaded: s.records,
    files: size.files,
    compressed_mb: Math.round(size.bytes / 1e6),
    baseline_seconds: b.seconds,
    scan_seconds: s.seconds,
    ratio: Number((s.seconds / b.seconds).toFixed(2)),
    ratio_median_wall: Number((median(scan.map((m) => m.seconds)) / median(base.map((m) => m.seconds))).toFixed(2)),
    baseline_cpu_seconds: bCpu,
    scan_cpu_seconds: sCpu,
    ratio_cpu: Number((sCpu / bCpu).toFixed(2)),
    baseline_peak_rss_mb: Math.max(...base.map((m) => m.maxRssMb)),
    scan_peak_rss_mb: Math.max(...scan.map((m) => m.maxRssMb)),
    runs: { baseline: base.map((m) => [m.seconds, m.cpuSeconds]), scan: scan.map((m) => [m.seconds, m.cpuSeconds]) },
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  process.stderr.write(`scan/baseline = ${out.ratio} best wall, ${out.ratio_median_wall} median wall, ${out.ratio_cpu} CPU (target ≤ 1.5), scan peak RSS ${out.scan_peak_rss_mb} MB (target ≤ 1536)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
