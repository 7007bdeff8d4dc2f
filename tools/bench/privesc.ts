/**
 * The escalation graph against the single-hop detector it replaced, on the same data in one run:
 *
 *   npm run bench:privesc [-- --roles 2000 --users 500 --reps 3]
 *
 * Data sets: the demo export, and a generated account (`--roles` roles, `--users` users, 12 groups; policies
 * drawn from templates: read-only, scoped PassRole to Lambda, sts:AssumeRole to deploy roles that can pass
 * admin roles to CloudFormation, self-service keys, SSM SendCommand, PassRole under an aws:SourceVpc
 * condition, IAM writes blocked by a boundary, a few self-escalating roles and admin roles trusted by compute
 * services). Each set is scanned once into a temporary database; then, R times: the escalation graph
 * (storeEscalationGraph) plus the aws/privilege-escalation SELECT, and the former single-hop SELECT over the
 * grants table. Prints the medians, the ratio and how many principals each flags.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildModel, runScan, setWindow } from '../../src/pipeline/pipeline.js';
import { builtinDetectorDir } from '../../src/detect/loader.js';
import { storeEscalationGraph } from '../../src/inventory/privesc-graph.js';
import { Store } from '../../src/store/db.js';
import { GENERATED_ACCOUNT, generateAccount } from './privesc-generate.js';
import { SINGLE_HOP_V1_ROWS, SINGLE_HOP_V1_SQL } from './privesc-single-hop-v1.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
const detectorSql = (): string => (readFileSync(join(builtinDetectorDir(), 'aws/privilege-escalation.sql'), 'utf8').split('---*/')[1] ?? '').trim();

async function measure(label: string, from: string, reps: number, work: string): Promise<string[]> {
  const asOf = new Date('2026-11-20T00:00:00Z');
  const dbPath = join(work, `${label}.duckdb`);
  const report = await runScan({ from, dbPath, asOf, lookbackSeconds: 90 * 86400, lookbackText: '90d' });
  const store = await Store.open(dbPath);
  try {
    await setWindow(store, asOf, 90 * 86400);
    await buildModel(store); // temp tables (ct_enriched) are per connection
    await store.run('CREATE OR REPLACE TEMP TABLE privesc_paths_v1 AS SELECT * FROM privesc_paths LIMIT 0');
    await store.append('privesc_paths_v1', new Array(9).fill(''), SINGLE_HOP_V1_ROWS.map((r) => [...r]));
    const principals = (await store.one<{ n: number }>(`SELECT count(*) AS n FROM iam_principals`))?.n ?? 0;
    const grants = (await store.one<{ n: number }>(`SELECT count(*) AS n FROM grants`))?.n ?? 0;
    const sql = detectorSql();
    const graph: number[] = [];
    const single: number[] = [];
    let flaggedGraph = 0;
    let flaggedSingle = 0;
    for (let r = 0; r < reps; r++) {
      const runGraph = async (): Promise<void> => {
        const t = performance.now();
        await storeEscalationGraph(store);
        flaggedGraph = (await store.all(sql, { include_conditional: false })).length;
        graph.push(performance.now() - t);
      };
      const runSingle = async (): Promise<void> => {
        const t = performance.now();
        flaggedSingle = (await store.all(SINGLE_HOP_V1_SQL, { include_conditional: false })).length;
        single.push(performance.now() - t);
      };
      if (r % 2 === 0) { await runGraph(); await runSingle(); } else { await runSingle(); await runGraph(); }
    }
    const g = median(graph);
    const s = median(single);
    return [
      `${label}: ${principals} IAM principals, ${grants} grant rows, ${report.run.counts.identities} identities; median of ${reps}`,
      `  escalation graph + detector (now)   ${seconds(g)}   flags ${flaggedGraph} principal(s)`,
      `  single-hop detector (before)        ${seconds(s)}   flags ${flaggedSingle} principal(s)`,
      `  now / before                        ${(g / s).toFixed(1)}x`,
    ];
  } finally {
    store.close();
  }
}

const roles = Number(arg('--roles', '2000'));
const users = Number(arg('--users', '500'));
const reps = Math.max(1, Number(arg('--reps', '3')));
const work = mkdtempSync(join(tmpdir(), 'shadowscan-bench-privesc-'));
try {
  const gen = join(work, 'generated');
  mkdirSync(join(gen, 'aws/iam', GENERATED_ACCOUNT), { recursive: true });
  writeFileSync(join(gen, 'aws/iam', GENERATED_ACCOUNT, 'get-account-authorization-details.json'), JSON.stringify(generateAccount(roles, users)));
  process.stdout.write((await measure('demo', resolve(arg('--from', 'fixtures/demo')), reps, work)).join('\n') + '\n');
  process.stdout.write((await measure(`generated (${roles} roles, ${users} users)`, gen, reps, work)).join('\n') + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
