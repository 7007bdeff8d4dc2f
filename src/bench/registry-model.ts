/**
 * The registry part of the model against the rest of the model, and against the registry model as it was
 * before its tier rules were matched set-based, in one run:
 *
 *   node dist/src/bench/registry-model.js [--from fixtures/demo] [--reps 5] [--as-of 2026-11-20T00:00:00Z]
 *
 * Scans the export once into a temporary database (with the registry.yaml, people.txt and exceptions.yaml that
 * sit in it, as `npm start` does), then R times: the identity model (MODEL_SQL), the registry model
 * (REGISTRY_MODEL_SQL), and the registry model with its former tier-rule join, `regexp_matches(action,
 * tier_rules.pattern)`, which compiles a regular expression per row and rule (the order of the two registry
 * models alternates). Prints the medians, their ratios, the slowest statements, and whether both registry models
 * built the same tables.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildModel, modelParams, runScan, setWindow } from '../core/pipeline.js';
import { REGISTRY_MODEL_SQL, tierRuleJoin } from '../registry/model.js';
import { Store } from '../store/db.js';
import { MODEL_SQL } from '../store/model.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

/** The registry model as it was: tier rules joined on a per-row regular expression, no action_rule_hits table. */
const BEFORE_SQL: readonly string[] = REGISTRY_MODEL_SQL
  .filter((sql) => !sql.includes('TABLE action_rule_hits AS'))
  .map((sql) => ['a.action', 'c.action'].reduce((s, col) => s.replace(tierRuleJoin(col), `LEFT JOIN tier_rules r ON regexp_matches(lower(${col}), r.pattern)`), sql));

/** Tables both registry models build, compared row for row. */
const COMPARED = ['action_tiers', 'call_tiers', 'identity_tiers', 'registry_matches', 'ownerless_now'];

async function timed(store: Store, statements: readonly string[]): Promise<{ total: number; each: number[] }> {
  const each: number[] = [];
  for (const sql of statements) {
    const t = performance.now();
    await store.run(sql, modelParams(sql));
    each.push(performance.now() - t);
  }
  return { total: each.reduce((a, b) => a + b, 0), each };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const label = (sql: string): string => /(?:TABLE|VIEW)\s+(\w+)/.exec(sql)?.[1] ?? sql.replace(/\s+/g, ' ').trim().slice(0, 40);
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
    // Temp tables of the model (ct_enriched) live per connection: build the whole model once on this one.
    await buildModel(store);
    const grants = (await store.one<{ n: number }>('SELECT count(*) AS n FROM grants'))?.n ?? 0;
    const rest: number[] = [];
    const now: number[] = [];
    const before: number[] = [];
    const perStatement: number[][] = REGISTRY_MODEL_SQL.map(() => []);
    let same = true;
    for (let r = 0; r < reps; r++) {
      rest.push((await timed(store, MODEL_SQL)).total);
      const runNow = async (): Promise<void> => {
        const t = await timed(store, REGISTRY_MODEL_SQL);
        now.push(t.total);
        t.each.forEach((ms, i) => perStatement[i]?.push(ms));
      };
      const runBefore = async (): Promise<void> => { before.push((await timed(store, BEFORE_SQL)).total); };
      if (r % 2 === 0) { await runNow(); await runBefore(); } else { await runBefore(); await runNow(); }
      if (r === 0) {
        // Same tables either way: snapshot the "before" build, rebuild "now", compare both directions.
        for (const t of COMPARED) await store.run(`CREATE OR REPLACE TEMP TABLE bench_${t} AS SELECT * FROM ${t}`);
        await timed(store, r % 2 === 0 ? REGISTRY_MODEL_SQL : BEFORE_SQL);
        for (const t of COMPARED) {
          const diff = await store.one<{ n: number }>(`SELECT count(*) AS n FROM ((SELECT * FROM ${t} EXCEPT ALL SELECT * FROM bench_${t}) UNION ALL (SELECT * FROM bench_${t} EXCEPT ALL SELECT * FROM ${t}))`);
          if ((diff?.n ?? 0) > 0) { same = false; process.stdout.write(`  ${t}: ${diff?.n} row(s) differ\n`); }
        }
      }
    }
    const mRest = median(rest);
    const mNow = median(now);
    const mBefore = median(before);
    const lines = [
      `registry model on ${from} (${report.run.counts.cloudtrail_records} CloudTrail records, ${grants} grant rows, ${report.run.counts.identities} identities), median of ${reps}:`,
      `  rest of the model (MODEL_SQL)          ${seconds(mRest)}`,
      `  registry model, set-based tier rules   ${seconds(mNow)}   (${(mNow / mRest).toFixed(2)}x the rest)`,
      `  registry model, per-row regexp join    ${seconds(mBefore)}   (${(mBefore / mRest).toFixed(2)}x the rest)`,
      `  before / after                         ${(mBefore / mNow).toFixed(1)}x`,
      `  same tables (${COMPARED.join(', ')}): ${same ? 'yes' : 'NO'}`,
      '  slowest registry statements now:',
      ...REGISTRY_MODEL_SQL.map((sql, i) => ({ name: label(sql), ms: median(perStatement[i] ?? []) }))
        .sort((a, b) => b.ms - a.ms).slice(0, 5).map((s) => `    ${s.name.padEnd(24)} ${seconds(s.ms)}`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
    if (!same) process.exitCode = 1;
  } finally {
    store.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
