import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateUiRun } from '../../tools/bench/ui-db.js';
import { runScan } from '../../src/pipeline/pipeline.js';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { Store } from '../../src/store/db.js';
import { App } from '../../src/ui/app.js';
import { StoreSource } from '../../src/ui/data.js';
import { parse as parseYaml } from 'yaml';
import { suggestStored } from '../../src/pipeline/evaluate.js';
import { explainStored } from '../../src/registry/explain.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scan.js';

const KEY = { down: '\x1b[B', up: '\x1b[A', enter: '\r', esc: '\x1b', tab: '\t', backspace: '\x7f' };

type Instance = ReturnType<typeof render>;
let mounted: Instance[] = [];

/** Wait until the last frame satisfies `ok` (the app queries DuckDB asynchronously). */
async function frameWhere(app: Instance, ok: (frame: string) => boolean, what: string): Promise<string> {
  const until = Date.now() + 20_000;
  for (;;) {
    const f = app.lastFrame() ?? '';
    if (ok(f)) return f;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}
const frameWith = (app: Instance, text: string): Promise<string> => frameWhere(app, (f) => f.includes(text), JSON.stringify(text));

/** Wait for a list with its rows (the selected row is marked ›). */
const listReady = (app: Instance): Promise<string> => frameWhere(app, (f) => f.includes('identities:') && f.split('\n').some((l) => l.startsWith('›')), 'a list with rows');
/** Wait for `text` and a selected row. */
const rowsWith = (app: Instance, text: string): Promise<string> => frameWhere(app, (f) => f.includes(text) && f.split('\n').some((l) => l.startsWith('›')), `${text} with rows`);

/** Send keys one at a time, letting ink process each. */
async function press(app: Instance, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    app.stdin.write(k);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The selected row (marked with ›). */
function selected(frame: string): string {
  return frame.split('\n').find((l) => l.startsWith('›')) ?? '';
}

function mount(source: StoreSource, runId: string, extra: { width?: number; height?: number; exportDir?: string } = {}): Instance {
  const app = render(<App source={source} runId={runId} color={false} width={extra.width ?? 80} height={extra.height ?? 24} exportDir={extra.exportDir ?? tempDir()} />);
  mounted.push(app);
  return app;
}

afterEach(() => {
  for (const m of mounted) m.unmount();
  mounted = [];
});

describe('terminal UI on a generated run (lists, keys)', () => {
  let store: Store;
  let source: StoreSource;
  const runId = 'run-ui-test';
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await generateUiRun(store, { identities: 120, findings: 400, runId, seed: 'app-test' });
    source = new StoreSource(store, runId);
  });
  afterAll(() => store.close());

  it('opens on the summary header and the Inventory, within 80×24', async () => {
    const app = mount(source, runId);
    const f = await listReady(app);
    expect(f).toContain('120 identities:');
    expect(f).toContain('400 findings:');
    expect(f).toMatch(/critical \d+ high \d+ medium \d+ low \d+ info \d+/);
    expect(f).toContain('coverage gaps: 1');
    expect(f).toContain('Inventory');
    expect(f).toContain('sort: risk');
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    // Highest risk first.
    const scores = lines.filter((l) => /^[›\s] (agent|workload|human|aws-service|unknown)\s/.test(l)).map((l) => Number(l.trim().split(/\s+/).at(-2)));
    expect(scores.length).toBe(16);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('j/k and arrows move the selection; paging past the screen queries the next page', async () => {
    const app = mount(source, runId);
    const first = selected(await listReady(app));
    await press(app, 'j', 'j', KEY.down);
    let f = await frameWith(app, '4/120');
    expect(selected(f)).not.toBe(first);
    await press(app, 'k', KEY.up, 'k');
    f = await frameWith(app, '1/120');
    expect(selected(f)).toBe(first);
    await press(app, 'G');
    f = await rowsWith(app, '120/120');
    await press(app, 'g');
    await frameWith(app, '1/120');
  });

  it('s cycles the sort order', async () => {
    const app = mount(source, runId);
    await frameWith(app, 'sort: risk');
    await press(app, 's');
    await rowsWith(app, 'sort: findings');
    await press(app, 's');
    const f = await rowsWith(app, 'sort: name');
    const names = f.split('\n').filter((l) => /^[›\s] \w/.test(l) && !l.includes('CLASS')).map((l) => l.slice(14, 44).trim()).filter(Boolean);
    expect(names.length).toBeGreaterThan(5);
    expect([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))).toEqual(names);
  });

  it('f filters by classification, then by the next one, then clears', async () => {
    const app = mount(source, runId);
    await listReady(app);
    await press(app, 'f');
    let f = await rowsWith(app, 'class: agent');
    const rows = f.split('\n').filter((l) => /^[›\s] (agent|workload|human|aws-service|unknown)\s/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.slice(2).startsWith('agent')).toBe(true);
    await press(app, 'f');
    f = await rowsWith(app, 'class: workload');
    for (const r of f.split('\n').filter((l) => /^[›\s] (agent|workload|human)/.test(l))) expect(r.slice(2).startsWith('workload')).toBe(true);
    await press(app, KEY.esc);
    f = await rowsWith(app, '/120');
    expect(f).not.toContain('class:');
  });

  it('Tab switches to Findings (severity, category, subject, reason); f filters by severity', async () => {
    const app = mount(source, runId);
    await listReady(app);
    await press(app, KEY.tab);
    let f = await rowsWith(app, 'SEVERITY');
    expect(f).toContain('CATEGORY');
    expect(f).toContain('SUBJECT');
    expect(f).toContain('REASON');
    expect(f).toContain('sort: severity');
    expect(selected(f)).toMatch(/^› critical/);
    // Long ARNs keep their account and are cut inside the resource: the account and the name's end both stay.
    expect(f).toMatch(/ \d{12} role\/[^\s]*…[^\s]*\d{4} /);
    expect(f).not.toMatch(/arn:aws:iam[^\s]*…/);
    await press(app, 'f');
    f = await frameWith(app, 'severity: critical');
    await press(app, 'f');
    f = await rowsWith(app, 'severity: high');
    const rows = f.split('\n').filter((l) => /^[›\s] (critical|high|medium|low|info)\s/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.slice(2)).toMatch(/^high\s/);
    await press(app, KEY.tab);
    await listReady(app);
  });

  it('/ filters by text, Enter opens the match, Esc goes back to the filtered list', async () => {
    const app = mount(source, runId);
    await listReady(app);
    await press(app, '/', ...'agent-0001');
    let f = await rowsWith(app, 'filter: agent-0001█');
    expect(f).not.toContain('/120');
    const rows = f.split('\n').filter((l) => /^[›\s] (agent|workload|human|aws-service|unknown)\s/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.toLowerCase()).toContain('agent-0001');
    await press(app, KEY.enter); // ends typing, keeps the filter
    f = await frameWhere(app, (x) => x.includes('filter: agent-0001') && !x.includes('█'), 'filter kept');
    const name = selected(f).slice(14, 44).trim();
    await press(app, KEY.enter);
    f = await frameWith(app, 'risk score');
    expect(f).toContain(name.replace('…', '').slice(0, 10));
    expect(f).toContain('risk score');
    expect(f).toContain('classification');
    await press(app, KEY.esc);
    f = await rowsWith(app, 'filter: agent-0001');
    expect(f).toContain('CLASS');
    // Backspace goes back too.
    await press(app, KEY.enter);
    await frameWith(app, 'risk score');
    await press(app, KEY.backspace);
    await frameWith(app, 'filter: agent-0001');
  });

  it('a filter that matches nothing says so, and Esc clears it', async () => {
    const app = mount(source, runId);
    await listReady(app);
    await press(app, '/', ...'zzz-no-such', KEY.enter);
    await frameWith(app, 'nothing matches the filter');
    await press(app, KEY.esc);
    await frameWith(app, '1/120');
  });

  it('/ also matches a finding category, from the Inventory', async () => {
    const app = mount(source, runId);
    await listReady(app);
    await press(app, '/', ...'privilege-esc', KEY.enter);
    const f = await frameWhere(app, (x) => x.includes('filter: privilege-esc') && x.split('\n').some((l) => l.startsWith('›')), 'category filter');
    const n = Number(/(\d+)\/(\d+)/.exec(f.split('\n').find((l) => l.includes('sort:')) ?? '')?.[2]);
    const expected = await store.one<{ n: number }>(`SELECT count(DISTINCT subject_id) AS n FROM run_findings WHERE run_id = $r AND category = 'privilege-escalation'`, { r: runId });
    expect(n).toBe(expected?.n);
  });

  it('? shows the keys; any key closes it; q quits', async () => {
    const app = mount(source, runId);
    await listReady(app);
    await press(app, '?');
    const f = await frameWith(app, 'Keys');
    for (const k of ['Enter', 'Esc', 'Tab', 'cycle the sort order', 'quit']) expect(f).toContain(k);
    await press(app, 'x');
    await listReady(app);
    await press(app, 'q');
    // After exit no further input is processed: no new frame, and the last drawn screen is the list as it was.
    // (ink in CI mode writes one blank line on exit, so the last non-blank frame is the screen; on a busy
    // machine that line can come after the key's 25 ms, so wait for the frames to settle first.)
    let frames = -1;
    for (let i = 0; i < 40 && app.frames.length !== frames; i++) {
      frames = app.frames.length;
      await new Promise((r) => setTimeout(r, 50));
    }
    await press(app, 'j');
    expect(app.frames.length).toBe(frames);
    expect(app.frames.filter((f) => f.trim() !== '').at(-1)).toContain('1/120');
  });

  it('the first paint (before ink loads) is the same screen the app then draws', async () => {
    const { openSession } = await import('../../src/ui/session.js');
    const { paintFirstScreen } = await import('../../src/ui/paint.js');
    const session = await openSession(store, runId, 16);
    const painted = paintFirstScreen(session.initial, 80, 24, false).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split('\r\n').map((l) => l.trimEnd());
    const app = render(<App source={session.source} runId={runId} initial={session.initial} color={false} width={80} height={24} />);
    mounted.push(app);
    const drawn = (await listReady(app)).split('\n').map((l) => l.trimEnd());
    expect(painted).toEqual(drawn);
  });

  it('follows the terminal size: 120 columns show more, 60 still fit', async () => {
    const wide = mount(source, runId, { width: 120, height: 30 });
    let f = await listReady(wide);
    expect(f.split('\n').filter((l) => /^[›\s] (agent|workload|human|aws-service|unknown)\s/.test(l)).length).toBe(22);
    for (const l of f.split('\n')) expect(l.length).toBeLessThanOrEqual(120);
    const narrow = mount(source, runId, { width: 60, height: 12 });
    f = await listReady(narrow);
    for (const l of f.split('\n')) expect(l.length).toBeLessThanOrEqual(60);
    expect(f.split('\n').length).toBeLessThanOrEqual(12);
  });
});

describe('terminal UI on a scanned fixture (detail, exports)', () => {
  let store: Store;
  let source: StoreSource;
  let runId: string;
  let db: string;
  const roleArn = 'arn:aws:iam::111122223333:role/support-agent-runtime';
  beforeAll(async () => {
    const dir = materializeFixture(readFixture(join(projectRoot(), 'fixtures/detectors/aws/overbroad/hit.json')), tempDir());
    db = join(tempDir(), 'ui.duckdb');
    const report = await runScan({ from: dir, dbPath: db, asOf: new Date('2026-11-20T00:00:00Z'), lookbackSeconds: 90 * 86400, lookbackText: '90d' });
    runId = report.run.id;
    store = await Store.open(db);
    source = new StoreSource(store, runId);
  });
  afterAll(() => store.close());

  it('the detail shows findings with next steps first, then classification evidence, owner and source, grants vs used, activity', async () => {
    const app = mount(source, runId, { width: 100, height: 80 });
    await frameWith(app, 'support-agent-runtime');
    // The agent role is the riskiest identity: first row.
    expect(selected(app.lastFrame() ?? '')).toContain('support-agent-runtime');
    await press(app, KEY.enter);
    // What is wrong and what to do come first, above the classification evidence.
    let f = await frameWith(app, 'next steps');
    const top = f.indexOf('next steps');
    expect(f.indexOf('CRITICAL')).toBeLessThan(top);
    expect(f.indexOf('Findings (')).toBeLessThan(top);
    expect(f).toMatch(/\$ aws iam detach-role-policy --role-name support-agent-runtime/);
    if (f.includes('• agent: ')) expect(top).toBeLessThan(f.indexOf('• agent: '));
    await press(app, 'G');
    f = await frameWith(app, 'Grants (granted vs used)');
    expect(f).toContain('Credentials (0)');
    await press(app, 'g');
    f = await frameWith(app, 'next steps');
    expect(f).toContain(roleArn);
    expect(f).toMatch(/classification\s+agent \(\w+ confidence/);
    expect(f).toMatch(/owner\s+none/);
    await press(app, 'G');
    f = await frameWith(app, 'Grants (granted vs used)');
    expect(f).toMatch(/• agent: /);
    expect(f).toMatch(/used \d+ of \d+ granted action\(s\)/);
    expect(f).toContain('wildcard: * via arn:aws:iam::aws:policy/AdministratorAccess');
    expect(f).toMatch(/used 2 of \d+ granted action\(s\) in \d+ service\(s\)\s+\(99% unused\)/);
    expect(f).toMatch(/\d+ call\(s\) on \d+ day\(s\)/);
    expect(f).toContain('services: bedrock');
    expect(f).toContain('Credentials (0)');
  });

  it('Enter on a finding opens its subject, scrolled to that finding', async () => {
    const app = mount(source, runId, { width: 100, height: 30 });
    await listReady(app);
    await press(app, KEY.tab);
    await frameWith(app, 'SEVERITY');
    await press(app, '/', ...'overbroad', KEY.enter);
    await frameWhere(app, (x) => x.includes('filter: overbroad') && !x.includes('█') && x.includes('› critical'), 'the filtered findings');
    await press(app, KEY.enter);
    // Scrolled so the finding's block is at the top, below the title.
    const f = await frameWith(app, 'CRITICAL  overbroad');
    const body = f.split('\n').slice(5);
    expect(body.findIndex((l) => l.includes('CRITICAL  overbroad'))).toBeLessThanOrEqual(1);
    await press(app, KEY.esc);
    await frameWith(app, 'SEVERITY');
  });

  it('e and r write exactly what `shadowscan explain ID` and `shadowscan registry suggest --identity ID` print, and say where', async () => {
    const out = tempDir();
    const app = mount(source, runId, { width: 120, height: 30, exportDir: out });
    await listReady(app);
    await press(app, KEY.enter);
    await frameWith(app, 'Detail');
    await frameWith(app, 'risk score');
    await press(app, 'e');
    let f = await frameWith(app, 'wrote explanation to');
    const explainPath = join(out, 'support-agent-runtime.explain.txt');
    expect(f).toContain('explain.txt');
    const text = readFileSync(explainPath, 'utf8');
    const cliExplain = await cli('explain', roleArn, '--db', db);
    expect(cliExplain.code).toBe(0);
    expect(text).toBe(cliExplain.out);
    expect(text).toBe((await explainStored(store, roleArn)).text);
    // The full explanation, not a summary of the detail view.
    expect(text).toContain(roleArn);
    expect(text).toContain('Is it an agent?');
    expect(text).toContain('What to do next');
    expect(text).toContain('aws iam detach-role-policy');
    await press(app, 'r');
    f = await frameWith(app, 'wrote registry entry to');
    const yaml = readFileSync(join(out, 'support-agent-runtime.registry.yaml'), 'utf8');
    const cliSuggest = await cli('registry', 'suggest', '--db', db, '--identity', roleArn);
    expect(cliSuggest.code).toBe(0);
    expect(yaml).toBe(cliSuggest.out);
    expect(yaml).toBe((await suggestStored({ dbPath: db, identity: roleArn })).text);
    const doc = parseYaml(yaml) as { agents: { id: string; owner: string; identities: string[] }[] };
    expect(doc.agents).toHaveLength(1);
    expect(doc.agents[0]?.identities).toContain(roleArn);
    expect(doc.agents[0]?.owner).toBe('CHANGE-ME@example.com');
    rmSync(out, { recursive: true, force: true });
  });

  it('e with an export directory that cannot be created says so in the status line and keeps running', async () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a directory\n');
    const app = mount(source, runId, { width: 200, height: 30, exportDir: join(blocker, 'exports') });
    await listReady(app);
    await press(app, KEY.enter);
    await frameWith(app, 'risk score');
    await press(app, 'e');
    const f = await frameWith(app, 'could not write the explanation');
    expect(f).toMatch(/ENOTDIR|EEXIST/);
    expect(f).toContain('Detail');
    // Still interactive: back to the list.
    await press(app, KEY.esc);
    await listReady(app);
  });

  it('an older run keeps its own grants summary after a newer scan replaced the snapshot', async () => {
    const row = await store.one<{ n: number }>('SELECT count(*) AS n FROM run_identity_summary WHERE run_id = $r', { r: runId });
    expect(row?.n).toBeGreaterThan(0);
    await store.run('DELETE FROM grants');
    const d = await source.detail(roleArn);
    expect(d.grants_source).toBe('run');
    expect(d.grants?.actions).toBeGreaterThan(100);
    expect(d.activity?.services).toContain('bedrock');
  });
});
