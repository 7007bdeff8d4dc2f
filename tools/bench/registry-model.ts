/**
 * Time the model, file by file, against the whole model in one run:
 *
 *   node dist/tools/bench/registry-model.js [--from fixtures/demo] [--reps 5] [--as-of 2026-11-20T00:00:00Z]
 *
 * Scans the export once into a temporary database (with the registry.yaml, people.txt and exceptions.yaml that
 * sit in it, as `npm start` does), then R times builds the model (model/**.sql) and prints the median of each
 * folder (aws, github, registry, …) as a share of the whole, and the slowest files. The registry model's tier
 * rules are matched per service (model/registry/action_rule_hits.sql), not by a regular expression per
 * action and rule (the 1.2 s join it replaced).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runScan, setWindow } from '../../src/pipeline/pipeline.js';
import { buildModel } from '../../src/model/build.js';
import { builtinModel, modelPath } from '../../src/model/loader.js';
import { Store } from '../../src/store/db.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

const from = resolve(arg('--from', 'fixtures/demo'));
const reps = Math.max(1, Number(arg('--reps', '5')));
const asOf = new Date(arg('--as-of', '2026-11-20T00:00:00Z'));
const beside = (name: string): string | undefined => (existsSync(join(from, name)) ? join(from, name) : undefined);
const work = mkdtempSync(join(tmpdir(), 'shadowscan-bench-registry-'));
try {
  const dbPath = join(work, 'bench.duckdb');
  const registryFile = beside('registry.yaml');
  const peopleFile = beside('people.txt');
  const exceptionsFile = beside('exceptions.yaml');
  const report = await runScan({
    from, dbPath, asOf, lookbackSeconds: 90 * 86400, lookbackText: '90d',
    ...(registryFile ? { registryFile } : {}), ...(peopleFile ? { peopleFile } : {}), ...(exceptionsFile ? { exceptionsFile } : {}),
  });
  const store = await Store.open(dbPath);
  try {
    await setWindow(store, asOf, 90 * 86400);
    const model = builtinModel();
    const perFile = new Map<string, number[]>(model.map((o) => [modelPath(o.file), []]));
    const totals: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      await buildModel(store, model, (o, ms) => perFile.get(modelPath(o.file))?.push(ms));
      totals.push(performance.now() - t);
    }
    const whole = median(totals);
    const byFolder = new Map<string, number>();
    for (const [file, ms] of perFile) {
      const folder = file.split('/').slice(0, -1).join('/');
      byFolder.set(folder, (byFolder.get(folder) ?? 0) + median(ms));
    }
    const lines = [
      `model on ${from} (${report.run.counts.cloudtrail_records} CloudTrail records, ${report.run.counts.identities} identities, ${model.length} model files), median of ${reps}:`,
      `  whole model                            ${seconds(whole)}`,
      ...[...byFolder].sort((a, b) => b[1] - a[1]).map(([f, ms]) => `  ${f.padEnd(38)} ${seconds(ms)}   (${(ms / whole).toFixed(2)}x the whole)`),
      '  slowest files:',
      ...[...perFile].map(([file, ms]) => ({ file, ms: median(ms) })).sort((a, b) => b.ms - a.ms).slice(0, 5)
        .map((s) => `    ${s.file.padEnd(44)} ${seconds(s.ms)}`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    store.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
