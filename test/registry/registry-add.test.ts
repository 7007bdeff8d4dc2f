import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../../src/detect/loader.js';
import { planEntry, proposeTier, verdict, type AddAnswers } from '../../src/registry/add.js';
import { readRegistry } from '../../src/registry/registry.js';
import { AddForm } from '../../src/ui/add.js';
import { cli } from '../helpers/cli.js';
import { scanDir, tempDir } from '../helpers/scan.js';

// `shadowscan registry add`: five questions → a tier, a verdict ("is it an agent?") and an entry written into the
// registry that `registry check` accepts once its approvals are recorded. Driven by flags, through the ink form
// (ink-testing-library) and in a real terminal (tmux).
vi.setConfig({ testTimeout: 120_000 });
const ROOT = projectRoot();
const FIXTURE = join(ROOT, 'fixtures/detectors/registry/approvals/hit.json');
const ROLE = 'arn:aws:iam::111122223333:role/report-bot';
const POLICY = `# our agent registry
policy:
  roles:
    team-lead: [lead@example.com]
    security: [sec@example.com]
  tiers:
    1: { approvers: [team-lead], usual_wait: 1 business day }
    2: { approvers: [team-lead, security], usual_wait: 3 business days }
    3: { approvers: [team-lead, security], usual_wait: 2 weeks }
agents: []  # nothing yet
people: [lead@example.com, sec@example.com, mia@example.com]
`;
let db: string;

function registryFile(): string {
  const p = join(tempDir(), 'registry.yaml');
  writeFileSync(p, POLICY);
  return p;
}

beforeAll(async () => {
  // A stored scan where report-bot (an agent role) can write and did: observed tier 2.
  const { materializeFixture, readFixture } = await import('../../src/detect/fixture.js');
  const dir = materializeFixture(readFixture(FIXTURE), tempDir());
  db = join(tempDir(), 'scan.duckdb');
  await scanDir(dir, '2026-11-20T00:00:00Z', 90, { dbPath: db });
}, 120_000);

describe('the five answers', () => {
  const base = { what: 'Summarises reports', owner: 'mia@example.com', identities: [ROLE] };
  it('"is my script an agent?": unattended + LLM is an agent; the other three say why not, and whether to register', () => {
    expect(verdict({ unattended: true, calls: 'llm' })).toMatchObject({ agent: true, register: true });
    expect(verdict({ unattended: true, calls: 'none' })).toMatchObject({ agent: false, register: true });
    expect(verdict({ unattended: false, calls: 'llm-external' }).why).toMatch(/^A person runs it and watches it: an AI-assisted tool, not an agent\./);
    expect(verdict({ unattended: false, calls: 'none' })).toMatchObject({ agent: false, register: false });
    // What the scan saw wins over "a person runs it".
    expect(verdict({ unattended: false, calls: 'none' }, { identity: ROLE, name: 'report-bot', classification: 'agent' }).why).toMatch(/But the last scan classified report-bot as an agent/);
  });

  it('the tier comes from what it touches and calls, raised by what it was seen doing; grants above it are named', () => {
    expect(proposeTier({ touches: ['read-internal'], calls: 'llm' }).tier).toBe(1);
    expect(proposeTier({ touches: ['read-internal'], calls: 'llm-external' }).tier).toBe(3);
    expect(proposeTier({ touches: ['write-internal'], calls: 'none' }).tier).toBe(2);
    const seen = proposeTier({ touches: ['read-internal'], calls: 'llm' }, { identity: ROLE, observedTier: 2, grantTier: 3 });
    expect(seen.tier).toBe(2);
    expect(seen.reasons).toEqual(['tier 1: reads internal data only', 'tier 2: what the last scan saw it do',
      `its grants allow tier 3: scope them down to tier 2 (\`shadowscan explain ${ROLE}\` prints a least-privilege policy), or register tier 3`]);
    const plan = planEntry({ ...base, touches: ['customer-data'], unattended: true, calls: 'llm' } as AddAnswers, undefined, '2026-11-20');
    expect(plan.entry).toMatchObject({ id: 'report-bot', tier: 3, certified: '2026-11-20', approvals: [] });
  });
});

describe('registry add with flags (CI)', () => {
  it('writes a validated entry with the approvals it needs, keeps the file\'s comments; check passes once approved', async () => {
    const file = registryFile();
    const r = await cli('registry', 'add', '--registry', file, '--db', db, '--identity', ROLE, '--what', 'Summarises the weekly reports with a model',
      '--owner', 'Mia@example.com', '--touches', 'read-internal', '--unattended', 'yes', '--calls', 'llm', '--as-of', '2026-11-20T00:00:00Z');
    expect(r.code).toBe(0);
    expect(r.out).toBe([
      'Is it an agent? Yes. It runs without a person watching and an LLM decides what it does: that is an AI agent. Register it.',
      `Proposed tier: 2 — tier 1: reads internal data only; tier 2: what the last scan saw it do`,
      'Approvals: tier 2 needs approval by team-lead (lead@example.com), security (sec@example.com), usually 3 business days: each runs shadowscan registry approve report-bot --role ROLE --by EMAIL',
      `Wrote report-bot (tier 2) to ${file}. Commit it and ask for the approvals above; \`shadowscan registry check --registry ${file}\` shows what is still missing.`, ''].join('\n'));
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# our agent registry\npolicy:\n')).toBe(true);
    expect(text).toContain('    approvals: [] # tier 2 needs approval by team-lead (lead@example.com), security (sec@example.com), usually 3 business days');
    const reg = readRegistry(file);
    expect(reg.ok && reg.registry.agents.map((a) => [a.id, a.owner, a.tier, a.identities])).toEqual([['report-bot', 'mia@example.com', 2, [ROLE]]]);
    // Valid, and the check says exactly what is missing: the approvals.
    const check = await cli('registry', 'check', '--registry', file, '--db', db, '--format', 'json');
    expect(check.code).toBe(1);
    const v = (JSON.parse(check.out) as { violations: { detector: string; reason: string; subject: { id: string } }[] }).violations;
    // (etl-user, also in the scanned account, is not registered: that finding is not this entry's)
    expect(v.filter((f) => f.detector !== 'registry/unregistered').map((f) => [f.detector, f.reason])).toEqual([['registry/approvals', 'agent report-bot (tier 2) lacks the approvals its tier requires: missing team-lead, security (usually 3 business days)']]);
    for (const [role, by] of [['team-lead', 'lead@example.com'], ['security', 'sec@example.com']]) {
      expect((await cli('registry', 'approve', 'report-bot', '--role', role!, '--by', by!, '--registry', file, '--date', '2026-11-20')).code).toBe(0);
    }
    const after = await cli('registry', 'check', '--registry', file, '--db', db, '--format', 'json');
    const left = (JSON.parse(after.out) as { violations: { detector: string; subject: { id: string } }[] }).violations;
    expect(left.map((f) => [f.detector, f.subject.id])).toEqual([['registry/unregistered', 'arn:aws:iam::111122223333:user/etl-user']]);
    // Without a stored scan (a fresh CI checkout) only the file is checked: it passes.
    const fileOnly = await cli('registry', 'check', '--registry', file, '--db', join(tempDir(), 'none.duckdb'));
    expect(fileOnly.code).toBe(0);
    expect(fileOnly.out).toContain('violations at or above low (0)');
  });

  it('--dry-run answers "is my script an agent?" and writes nothing; missing answers without a terminal name the flags', async () => {
    const file = registryFile();
    const dry = await cli('registry', 'add', '--registry', file, '--dry-run', '--unattended', 'no', '--calls', 'llm-external', '--touches', 'read-internal');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^Is it an agent\? No\. A person runs it and watches it: an AI-assisted tool, not an agent\./);
    expect(dry.out).toContain('Nothing to register.');
    expect(readFileSync(file, 'utf8')).toBe(POLICY);
    const some = await cli('registry', 'add', '--registry', file, '--identity', ROLE, '--unattended', 'maybe');
    expect(some.code).toBe(2);
    expect(some.err).toContain('--unattended maybe: expected yes or no');
    const missing = await cli('registry', 'add', '--registry', file, '--identity', ROLE, '--no-input');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('missing: --what "what it does" --owner EMAIL --touches');
    const dup = await cli('registry', 'add', '--registry', file, '--identity', 'not-an-identity', '--what', 'Does things well', '--owner', 'mia@example.com', '--touches', 'read-internal', '--unattended', 'yes', '--calls', 'none');
    expect(dup.code).toBe(2);
    expect(dup.err).toContain('the change would make');
    expect(dup.err).toContain('"not-an-identity" is not an identity');
    expect(readFileSync(file, 'utf8')).toBe(POLICY);
  });
});

const KEY = { down: '\x1b[B', enter: '\r', esc: '\x1b', backspace: '\x7f' };
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 30));

describe('the terminal form (ink-testing-library)', () => {
  it('asks the five questions in order, validates answers, shows the verdict, tier, approvals and entry, then returns the answers', async () => {
    const reg = readRegistry(registryFile());
    let done: AddAnswers | null | undefined;
    const app = render(React.createElement(AddForm, {
      given: { identities: [ROLE] }, observed: { identity: ROLE, name: 'report-bot', classification: 'agent', observedTier: 2, grantTier: 2, suggestedOwner: null },
      registry: reg.ok ? reg.registry : undefined, today: '2026-11-20', dryRun: false, onDone: (a) => { done = a; },
    }));
    const type = async (s: string): Promise<void> => { app.stdin.write(s); await tick(); };
    const frame = (): string => (app.lastFrame() ?? '').replace(/\s+/g, ' ');
    const until = async (want: string): Promise<void> => {
      for (let n = 0; n < 200 && !frame().includes(want); n++) await tick();
      expect(frame()).toContain(want);
    };
    await tick();
    await until('1. What does it do?');
    await until('the last scan saw report-bot as agent, acting as tier 2, grants up to tier 2');
    await type('abc');
    await type(KEY.enter);
    await until('say in a few words what it does');
    await type(' writes weekly summaries');
    await type(KEY.enter);
    await until('2. Who owns it?');
    await type('platform-team');
    await type(KEY.enter);
    await until('the email address of a person');
    for (let i = 0; i < 'platform-team'.length; i++) await type(KEY.backspace);
    await type('mia@example.com');
    await type(KEY.enter);
    await until('3. What does it touch?');
    await type(KEY.enter);
    await until('tick at least one');
    await type(KEY.down);
    await type(' ');
    await until('[x] writes internal systems');
    await type(KEY.enter);
    await until('4. Does it run unattended');
    await type('y');
    await until('5. Does it call an LLM or an external API?');
    await type(KEY.down);
    await type(KEY.enter);
    await until('Enter: write it to the registry');
    const review = frame();
    expect(review).toContain('Is it an agent? Yes. It runs without a person watching and an LLM decides what it does');
    expect(review).toContain('Proposed tier: 2 — tier 2: writes internal systems');
    expect(review).toContain('Approvals: tier 2 needs approval by team-lead (lead@example.com), security (sec@example.com), usually 3 business days');
    await until('- id: report-bot');
    expect(review).toContain('Enter: write it to the registry');
    expect(done).toBeUndefined();
    await type(KEY.enter);
    for (let n = 0; n < 100 && done === undefined; n++) await tick();
    expect(done).toEqual({ identities: [ROLE], what: 'abc writes weekly summaries', owner: 'mia@example.com', touches: ['write-internal'], unattended: true, calls: 'llm' });
    app.unmount();
  });

  it('Esc cancels', async () => {
    let done: AddAnswers | null | undefined;
    const app = render(React.createElement(AddForm, { given: {}, today: '2026-11-20', dryRun: true, onDone: (a) => { done = a; } }));
    for (let n = 0; n < 100 && !(app.lastFrame() ?? '').includes('3. What does it touch?'); n++) await tick();
    expect(app.lastFrame()).toContain('3. What does it touch?');
    app.stdin.write(KEY.esc);
    for (let n = 0; n < 100 && done === undefined; n++) await tick();
    expect(done).toBeNull();
    app.unmount();
  });
});

const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
if (!hasTmux) console.warn('test/registry/registry-add.test.ts: tmux test SKIPPED — tmux is not installed');
const socket = `shadowscan-add-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
async function screenWith(session: string, text: string): Promise<string> {
  // generous: the binary starts cold (DuckDB, ink) on a machine shared with other suites
  const until = Date.now() + 60_000;
  for (;;) {
    const s = tmux('capture-pane', '-p', '-t', session);
    if (s.includes(text)) return s;
    if (Date.now() > until) throw new Error(`tmux: timed out waiting for ${JSON.stringify(text)}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Send keys, then wait until the screen shows their effect before anything else is sent: keys sent back to back can
 * reach the form in one read on a loaded machine ("text\r" is not an Enter), which left it waiting at a prompt once.
 */
async function type(session: string, ...keys: string[]): Promise<void> {
  const before = tmux('capture-pane', '-p', '-t', session);
  tmux('send-keys', '-t', session, ...keys);
  const until = Date.now() + 60_000;
  while (tmux('capture-pane', '-p', '-t', session) === before) {
    if (Date.now() > until) throw new Error(`tmux: the screen did not change after ${keys.join(' ')}; screen:\n${before}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!hasTmux)('registry add in a real terminal (tmux)', () => {
  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  });

  it('answers typed at the prompts end up in the registry file, which registry check accepts', async () => {
    // Build when the form's sources are newer than the binary (the suite normally runs after `npm run build`).
    const built = (f: string): number => (existsSync(join(ROOT, f)) ? statSync(join(ROOT, f)).mtimeMs : 0);
    const sources = ['src/ui/add.tsx', 'src/registry/add.ts', 'src/cli/commands/registry-add.ts', 'src/cli/commands/registry.ts'];
    if (sources.some((f) => built(f) > built(`dist/${f.replace(/\.tsx?$/, '.js')}`))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
    const file = registryFile();
    const bin = join(ROOT, 'dist/src/cli/main.js');
    // The binary's own database (this process holds a lock on the suite's).
    const { materializeFixture, readFixture } = await import('../../src/detect/fixture.js');
    const db = join(tempDir(), 'tmux.duckdb');
    const scan = spawnSync('node', [bin, 'scan', '--from', materializeFixture(readFixture(FIXTURE), tempDir()), '--db', db, '--as-of', '2026-11-20T00:00:00Z', '--format', 'json', '--output', join(tempDir(), 'r.json'), '-q'], { encoding: 'utf8' });
    expect(scan.status, scan.stderr).toBe(0);
    const s = 'add';
    tmux('new-session', '-d', '-s', s, '-x', '120', '-y', '40', `TERM=xterm-256color node ${bin} registry add --registry ${file} --db ${db} --identity ${ROLE} --as-of 2026-11-20T00:00:00Z; echo "EXITED $?"; sleep 60`);
    await screenWith(s, '1. What does it do?');
    await type(s, '-l', 'Summarises the weekly reports with a model');
    tmux('send-keys', '-t', s, 'Enter');
    await screenWith(s, '2. Who owns it?');
    await type(s, '-l', 'mia@example.com');
    tmux('send-keys', '-t', s, 'Enter');
    await screenWith(s, '3. What does it touch?');
    await type(s, 'Space');
    tmux('send-keys', '-t', s, 'Enter');
    await screenWith(s, '4. Does it run unattended');
    tmux('send-keys', '-t', s, 'y');
    await screenWith(s, '5. Does it call an LLM');
    await type(s, 'Down');
    tmux('send-keys', '-t', s, 'Enter');
    await screenWith(s, 'Enter: write it to the registry');
    tmux('send-keys', '-t', s, 'Enter');
    const sc = await screenWith(s, 'EXITED 0');
    expect(sc).toContain(`Wrote report-bot (tier 2) to ${file}.`);
    const doc = parseYaml(readFileSync(file, 'utf8')) as { agents: { id: string; owner: string; tier: number }[] };
    expect(doc.agents).toMatchObject([{ id: 'report-bot', owner: 'mia@example.com', tier: 2, purpose: 'Summarises the weekly reports with a model' }]);
    const check = spawnSync('node', [bin, 'registry', 'check', '--registry', file, '--db', db], { encoding: 'utf8' });
    expect(check.status).toBe(1); // valid; only the approvals are missing
    expect(check.stdout).toContain('lacks the approvals its tier requires: missing team-lead, security');
  }, 300_000); // a cold scan, a cold binary in tmux and six prompts: over the 60 s default on a loaded CI machine
});
