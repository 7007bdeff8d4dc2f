/**
 * Property tests (fast-check) of the IAM, GitHub-export and leak-report loaders, on copies of the demo's files:
 * one file is cut short, emptied, replaced by garbage, given the wrong JSON type, has its field names renamed, or
 * has one item or one cell replaced by a value of the wrong type. Whatever happens to that one file, the load never
 * throws, every other file keeps exactly the rows it gave on its own (counted per source_file), and a file that can
 * no longer be read as what it should be is a coverage gap naming it.
 */
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/kernel/errors.js';
import type { CoverageGap } from '../../src/kernel/types.js';
import { projectRoot } from '../../src/detect/loader.js';
import { Store } from '../../src/store/db.js';
import { loadGithub } from '../../src/store/load-github.js';
import { loadIam } from '../../src/store/load-iam.js';
import { leakReportGaps, loadLeaks, readLeakFile } from '../../src/store/load-leaks.js';
import { tempDir } from '../helpers/scan.js';

const DEMO = join(projectRoot(), 'fixtures/demo');

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'empty' }
  | { kind: 'garbage'; text: string }
  | { kind: 'wrong-type'; value: unknown }
  | { kind: 'rename' }
  | { kind: 'item'; index: number; value: unknown };

const junk = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({}));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0.02, max: 0.98, noNaN: true }) }),
  fc.record({ kind: fc.constant('empty' as const) }),
  fc.record({ kind: fc.constant('garbage' as const), text: fc.string({ minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('wrong-type' as const), value: junk }),
  fc.record({ kind: fc.constant('rename' as const) }),
  fc.record({ kind: fc.constant('item' as const), index: fc.nat(20), value: junk }),
);

/** Keys renamed (suffixed) one level down: what another tool's or an older CLI's output looks like. */
function renameKeys(v: unknown): unknown {
  const rename = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, x]) => [`${k}_`, x]));
  if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? rename(x as Record<string, unknown>) : x));
  return v && typeof v === 'object' ? rename(v as Record<string, unknown>) : v;
}

/** The list a JSON document holds (a top-level array, or the first array-valued key), to replace one item. */
function replaceItem(v: unknown, index: number, value: unknown): unknown {
  const swap = (a: unknown[]) => (a.length === 0 ? [value] : a.map((x, i) => (i === index % a.length ? value : x)));
  if (Array.isArray(v)) return swap(v);
  if (v && typeof v === 'object') {
    const o = { ...(v as Record<string, unknown>) };
    const key = Object.keys(o).find((k) => Array.isArray(o[k]));
    if (key) o[key] = swap(o[key] as unknown[]);
    return o;
  }
  return value;
}

/** Apply a mutation to a file's text; JSON, CSV and YAML each get the closest equivalent. */
function mutate(file: string, text: string, m: Mutation): string {
  if (m.kind === 'truncate') return text.slice(0, Math.max(1, Math.floor(text.length * m.at)));
  if (m.kind === 'empty') return '';
  if (m.kind === 'garbage') return m.text;
  if (file.endsWith('.json')) {
    const v = JSON.parse(text) as unknown;
    if (m.kind === 'wrong-type') return JSON.stringify(m.value);
    if (m.kind === 'rename') return JSON.stringify(renameKeys(v));
    return JSON.stringify(replaceItem(v, m.index, m.value));
  }
  if (file.endsWith('.csv')) {
    const lines = text.split('\n');
    if (m.kind === 'rename') lines[0] = lines[0]!.split(',').map((h) => `${h}_`).join(',');
    else if (m.kind === 'wrong-type') return JSON.stringify(m.value);
    else {
      const row = 1 + (m.index % Math.max(1, lines.length - 2));
      const cells = lines[row]!.split(',');
      cells[2] = String(JSON.stringify(m.value)).replace(/,/g, ';'); // user_creation_time becomes not a time
      lines[row] = cells.join(',');
    }
    return lines.join('\n');
  }
  // YAML workflow
  if (m.kind === 'wrong-type') return JSON.stringify(m.value);
  if (m.kind === 'rename') return text.replace(/^(\s*)(on|jobs|steps|runs-on):/gm, '$1$2_:');
  return `${text}\n  broken: [${JSON.stringify(m.value)}\n`;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile()).sort();
}

/** Rows per source file, over every raw table that records one. */
async function rowsPerFile(store: Store, tables: readonly string[], root: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of tables) {
    const rows = await store.all<{ f: string; n: number }>(`SELECT source_file AS f, count(*)::INTEGER AS n FROM ${t} GROUP BY 1`);
    for (const r of rows) {
      const key = `${t} ${isAbsolute(r.f) ? relative(root, r.f) : r.f}`; // GitHub rows keep the path relative to the export
      out.set(key, (out.get(key) ?? 0) + r.n);
    }
  }
  return out;
}

const IAM_ROW_TABLES = ['iam_principals', 'iam_access_keys', 'iam_credential_report', 'iam_oidc_providers', 'iam_service_credentials'] as const;
const GITHUB_ROW_TABLES = ['github_repos', 'github_members', 'github_secrets', 'github_deploy_keys', 'github_installations', 'github_pat_grants', 'github_secret_alerts', 'github_workflows'] as const;

interface Case {
  name: string;
  /** Copy the demo's source into `dir`; returns the root the loader reads and the files to mutate. */
  setup: (dir: string) => { root: string; files: string[] };
  load: (store: Store, root: string) => Promise<{ gaps: CoverageGap[] }>;
  tables: readonly string[];
  /** Cases always run (bugs these properties found): a file name ending and the mutation. */
  examples?: [string, Mutation][];
  /** Random runs (SHADOWSCAN_PROPERTY_RUNS overrides; each IAM run loads two accounts' grants, ~1.5 s). */
  runs: number;
}

const CASES: Case[] = [
  {
    name: 'IAM export',
    setup: (dir) => {
      cpSync(join(DEMO, 'aws/iam'), join(dir, 'aws/iam'), { recursive: true });
      return { root: join(dir, 'aws/iam'), files: filesUnder(join(dir, 'aws/iam')) };
    },
    load: (store, root) => loadIam(store, 'run-prop', root),
    tables: IAM_ROW_TABLES,
    runs: 12,
    // Found by this property: a null (or other non-object) item in an IAM list, or a file holding `null`, threw a
    // TypeError out of the load (the scan died with an internal error).
    examples: [
      ['210987654321/get-account-authorization-details.json', { kind: 'item', index: 0, value: null }],
      ['345678901234/list-access-keys.json', { kind: 'item', index: 1, value: 3 }],
      ['345678901234/list-access-keys.json', { kind: 'wrong-type', value: null }],
      ['345678901234/list-service-specific-credentials.json', { kind: 'item', index: 0, value: null }],
    ],
  },
  {
    name: 'GitHub export',
    setup: (dir) => {
      cpSync(join(DEMO, 'github'), join(dir, 'github'), { recursive: true });
      return { root: dir, files: filesUnder(join(dir, 'github')).filter((f) => !f.endsWith('coverage.json')) };
    },
    load: (store, root) => loadGithub(store, 'run-prop', root),
    tables: GITHUB_ROW_TABLES,
    runs: 40,
    // Found by this property: a broken repository or environment list lost every repository's (environment's)
    // secrets, deploy keys and workflows, and a nameless repository item lost that repository's files.
    examples: [
      ['example/repos.json', { kind: 'truncate', at: 0.02 }],
      ['example/repos.json', { kind: 'item', index: 0, value: {} }],
      ['example/repos.json', { kind: 'item', index: 3, value: null }],
      ['design-bots/environments.json', { kind: 'truncate', at: 0.5 }],
      ['example/members.json', { kind: 'item', index: 0, value: 7 }],
    ],
  },
];

describe.each(CASES)('$name loader properties', (c) => {
  it('a mutation of one file never crashes the load, never changes another file\'s rows, and a file it breaks is a gap naming it', async () => {
    // What each file gives when nothing is wrong.
    const clean = tempDir('shadowscan-prop-clean-');
    const base = c.setup(clean);
    const store0 = await Store.open(':memory:');
    let baseline: Map<string, number>;
    try {
      const r = await c.load(store0, base.root);
      expect(r.gaps).toEqual([]);
      baseline = await rowsPerFile(store0, c.tables, base.root);
    } finally {
      store0.close();
    }
    expect(baseline.size).toBeGreaterThan(3);

    await fc.assert(fc.asyncProperty(fc.nat(base.files.length - 1), mutation, async (victimIndex, m) => {
      const dir = tempDir('shadowscan-prop-');
      const { root, files } = c.setup(dir);
      const victim = files[victimIndex]!;
      const rel = relative(root, victim);
      const before = readFileSync(victim, 'utf8');
      const after = mutate(victim, before, m);
      writeFileSync(victim, after);
      const store = await Store.open(':memory:');
      try {
        const r = await c.load(store, root);
        const got = await rowsPerFile(store, c.tables, root);
        for (const [key, n] of baseline) {
          if (key.endsWith(` ${rel}`)) continue;
          expect(got.get(key) ?? 0, `${key} after ${m.kind} of ${rel}`).toBe(n);
        }
        // A file that no longer parses, or whose rows are gone, must be named by a gap.
        const victimRows = [...baseline].filter(([k]) => k.endsWith(` ${rel}`)).reduce((a, [, n]) => a + n, 0);
        const nowRows = [...got].filter(([k]) => k.endsWith(` ${rel}`)).reduce((a, [, n]) => a + n, 0);
        const unreadable = after.trim() === '' ? victimRows > 0 || !/\.ya?ml$/.test(victim) : (() => {
          if (victim.endsWith('.json')) { try { JSON.parse(after); return false; } catch { return true; } }
          return false;
        })();
        // `[]` is a list with no items, a legitimate "none" in every list shape the loaders accept.
        const emptyList = after.trim() === '[]';
        if (unreadable || (nowRows < victimRows && !emptyList)) {
          expect(r.gaps.some((g) => g.source.includes(rel) || g.detail.includes(rel)), `no gap names ${rel} after ${m.kind} (${nowRows}/${victimRows} rows): ${JSON.stringify(r.gaps)}`).toBe(true);
        }
      } finally {
        store.close();
      }
    }), {
      numRuns: Number(process.env['SHADOWSCAN_PROPERTY_RUNS'] ?? c.runs),
      examples: (c.examples ?? []).map(([end, m]): [number, Mutation] => {
        const i = base.files.findIndex((f) => f.endsWith(end));
        if (i < 0) throw new Error(`example file ${end} is not in the ${c.name}`);
        return [i, m];
      }),
    });
  }, 300_000);
});

describe('leak report loader properties', () => {
  const reports = ['gitleaks.json', 'github-secret-scanning-alerts.json'].map((f) => join(DEMO, 'leaks', f));

  it('a mutated --leaks file is refused naming it (nothing loaded) or loads its intact items; the other report is unchanged', async () => {
    const good = reports.map((f) => readLeakFile(f));
    expect(good.every((r) => r.records.length > 0)).toBe(true);
    await fc.assert(fc.asyncProperty(fc.nat(reports.length - 1), mutation, async (victimIndex, m) => {
      const dir = tempDir('shadowscan-prop-leaks-');
      const texts = reports.map((f, i) => (i === victimIndex ? mutate(f, readFileSync(f, 'utf8'), m) : readFileSync(f, 'utf8')));
      const files = texts.map((t, i) => {
        const to = join(dir, `report-${i}.json`);
        writeFileSync(to, t);
        return to;
      });
      // A flag file is read before anything loads: bad input is a usage error naming the file, never a crash.
      const read = files.map((f) => {
        try {
          return readLeakFile(f);
        } catch (e) {
          expect(e, `${m.kind}: ${String(e)}`).toBeInstanceOf(UsageError);
          expect((e as Error).message).toContain(f);
          return undefined;
        }
      });
      const other = 1 - victimIndex;
      expect(read[other]?.records).toEqual(good[other]?.records);
      // A report that still reads but lost findings says so: a coverage gap naming the file.
      const v = read[victimIndex];
      // (An empty file and `[]` are reports with no findings: TruffleHog writes nothing, gitleaks `[]`.)
      const none = ['', '[]'].includes(texts[victimIndex]!.trim());
      if (v && !none && v.records.length + v.other < good[victimIndex]!.records.length + good[victimIndex]!.other) {
        expect(leakReportGaps(v).map((g) => g.source), `${m.kind}: ${v.records.length} of ${good[victimIndex]!.records.length} findings, no gap`).toEqual([files[victimIndex]]);
      }
      const store = await Store.open(':memory:');
      try {
        for (const r of read) if (r) await loadLeaks(store, 'run-prop', r);
        const n = await store.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM leak_reports WHERE source_file = $f', { f: files[other]! });
        expect(n?.n).toBe(good[other]?.records.length);
      } finally {
        store.close();
      }
    }), { numRuns: Number(process.env['SHADOWSCAN_PROPERTY_RUNS'] ?? 60), examples: [[0, { kind: 'item', index: 0, value: {} }], [1, { kind: 'item', index: 1, value: null }]] });
  }, 120_000);
});
