import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setWindow } from '../../src/pipeline/pipeline.js';
import { builtinDetectorDir, loadDetectorDir, projectRoot } from '../../src/detect/loader.js';
import { CODE_STEPS, buildModel } from '../../src/model/build.js';
import { checkModelFile, checkQuery, rawTables, type DeclarationProblem, type Provided } from '../../src/model/check.js';
import { builtinModel, loadModelDir, referenceDir, sortModel, type ModelObject } from '../../src/model/loader.js';
import { loadSignalDir, type Signal } from '../../src/model/signals.js';
import { Store } from '../../src/store/db.js';

// The repo-wide policing test for the model: every model file, every detector's `requires`, the raw table list.
const loads = loadModelDir();
const model: ModelObject[] = loads.flatMap((l) => (l.ok ? [l.object] : []));
const raw = rawTables();
const provided: Provided = { model: new Set([...model.map((o) => o.meta.name), ...CODE_STEPS.flatMap((s) => s.writes)]), raw };
const signalLoads = loadSignalDir();
const signals: Signal[] = signalLoads.flatMap((l) => (l.ok ? [l.signal] : []));
const signalReads = signals.flatMap((sg) => sg.meta.reads);
const rel = (p: DeclarationProblem): string => `${relative(projectRoot(), p.file)}: ${p.problem}`;

let store: Store;
beforeAll(async () => { store = await Store.open(':memory:'); });
afterAll(() => store.close());

describe('model files (model/**/*.sql)', () => {
  it('every file parses, names are unique and the reads form no cycle', () => {
    expect(loads.filter((l) => !l.ok)).toEqual([]);
    expect(() => sortModel(model)).not.toThrow();
    expect(model.length).toBeGreaterThan(30);
  });

  it('declare exactly what they read (tables and variables), and read only raw tables or model objects', async () => {
    const problems: string[] = [];
    for (const o of model) problems.push(...(await checkModelFile(store, o, provided, signalReads)).map(rel));
    expect(problems).toEqual([]);
  });

  it('the sort puts every object after what it reads, and `identities` has one writer', () => {
    const order = builtinModel().map((o) => o.meta.name);
    for (const o of model) for (const r of o.meta.reads) if (provided.model.has(r)) expect(order.indexOf(r), `${o.meta.name} reads ${r}`).toBeLessThan(order.indexOf(o.meta.name));
    const writers = model.filter((o) => /\b(?:table|into|update)\s+identities\b/i.test(o.sql)).map((o) => o.meta.name);
    expect(writers).toEqual(['identities']);
  });

  it('code steps read only raw tables', () => {
    for (const s of CODE_STEPS) expect(s.reads.filter((r) => !raw.has(r)), s.file).toEqual([]);
  });

  it('every raw table in model/sources.yaml exists after the migrations, and no model file redefines one', async () => {
    const tables = new Set((await store.all<{ name: string }>("SELECT table_name AS name FROM information_schema.tables")).map((r) => r.name));
    expect([...raw.keys()].filter((t) => !tables.has(t))).toEqual([]);
    expect(model.filter((o) => raw.has(o.meta.name) && o.meta.kind !== 'merge').map((o) => o.meta.name)).toEqual([]);
  });

  it('every reference/*.csv is read by a reference model file', () => {
    const csvs = readdirSync(referenceDir()).filter((f) => f.endsWith('.csv')).sort();
    const read = model.filter((o) => o.meta.kind === 'reference').map((o) => /'\/([^']+\.csv)'/.exec(o.sql)?.[1]).sort();
    expect(read).toEqual(csvs);
  });

  it('model/README.md describes every model object', () => {
    const readme = readFileSync(join(projectRoot(), 'model', 'README.md'), 'utf8');
    expect(model.map((o) => o.meta.name).filter((n) => !readme.includes(`| \`${n}\` |`))).toEqual([]);
  });

  it('builds on an empty schema', async () => {
    const s = await Store.open(':memory:');
    try {
      await setWindow(s, new Date('2026-11-20T00:00:00Z'), 90 * 86400);
      await buildModel(s);
      expect((await s.one<{ n: number }>('SELECT count(*) AS n FROM identities'))?.n).toBe(0);
      expect((await s.one<{ n: number }>('SELECT count(*) AS n FROM ua_signatures'))?.n).toBeGreaterThan(40);
    } finally {
      s.close();
    }
  });
});

describe('signals (signals/**.sql)', () => {
  it('every signal file parses, ids are unique, and each class has evidence', () => {
    expect(signalLoads.filter((l) => !l.ok)).toEqual([]);
    const ids = signals.map((sg) => sg.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of ['human', 'workload', 'agent', 'aws-service']) expect(signals.some((sg) => sg.meta.class === c && sg.meta.weight > 0), c).toBe(true);
  });

  it('every signal reads exactly what it declares, and only what the model provides to signals', async () => {
    const problems: string[] = [];
    for (const sg of signals) problems.push(...(await checkQuery(store, sg.file, sg.sql, sg.meta.reads, 'reads', provided)).map(rel));
    expect(problems).toEqual([]);
  });

  it('one label means one signal per provider and class (the inventory explains evidence by label)', () => {
    const keys = signals.map((sg) => `${sg.meta.id.split('/')[0]} ${sg.meta.class}: ${sg.meta.signal}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});

describe('detector requires', () => {
  const detectors = loadDetectorDir(builtinDetectorDir()).flatMap((l) => (l.ok ? [l.detector] : []));
  it('every detector requires exactly what it reads, and only what the model provides to detectors', async () => {
    const problems: string[] = [];
    for (const d of detectors) problems.push(...(await checkQuery(store, d.file, d.sql, d.meta.requires, 'requires', provided)).map(rel));
    expect(problems).toEqual([]);
    expect(detectors.length).toBeGreaterThan(20);
  });
});

describe('the checks can fail', () => {
  it('a detector reading a table it does not require, or a raw table closed to detectors, is reported', async () => {
    const file = join(builtinDetectorDir(), 'github', 'stale.sql');
    const sql = 'SELECT s.name FROM github_secrets s JOIN identities i ON i.id = s.name ORDER BY 1';
    const problems = (await checkQuery(store, file, sql, ['identities', 'runs'], 'requires', provided)).map((p) => p.problem);
    expect(problems).toEqual([
      'reads github_secrets but does not declare it in requires',
      'declares runs in requires but does not read it',
      'requires names runs: not provided by the model (no model/**/*.sql file creates it, model/sources.yaml does not declare it)',
    ]);
    const closed = (await checkQuery(store, file, sql, ['identities', 'github_secrets'], 'requires', provided)).map((p) => p.problem);
    expect(closed).toEqual(['requires names github_secrets: a raw table only model files read (model/sources.yaml: detectors: false); read the model object built from it']);
  });

  it('a model file with an undeclared read or variable is reported', async () => {
    const o = model.find((m) => m.meta.name === 'credentials');
    if (!o) throw new Error('credentials model file not found');
    const broken: ModelObject = { ...o, meta: { ...o.meta, reads: o.meta.reads.filter((r) => r !== 'iam_principals'), params: [] } };
    const problems = (await checkModelFile(store, broken, provided)).map((p) => p.problem);
    expect(problems).toEqual(['reads iam_principals but does not declare it in reads', 'reads variable(s) as_of but does not declare them in params']);
  });

  it('model files read as written: no ${…} placeholders', () => {
    for (const o of model) expect(readFileSync(o.file, 'utf8'), o.file).not.toMatch(/\$\{/);
  });
});
