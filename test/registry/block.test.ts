import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GITHUB_COMMENT_LIMIT, renderBlockMarkdown, renderBlockText } from '../../reports/block.js';
import { blockContext } from '../../src/cli/block.js';
import type { Finding, ScanReport } from '../../src/kernel/types.js';
import { generateDemo } from '../../tools/demo/generate.js';
import { projectRoot } from '../../src/detect/loader.js';
import { blockMessage, type BlockContext } from '../../src/registry/unblock.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scan.js';

// Blocks that teach, on the demo org: the message each kind of gate failure renders, pinned word for word in
// test/registry/block-messages/ (after an intended change: UPDATE_GOLDEN=1 npx vitest run test/registry/block.test.ts).
vi.setConfig({ testTimeout: 180_000 });
const AS_OF = '2026-11-20T00:00:00Z';
const ROOT = projectRoot();
const MESSAGES = join(ROOT, 'test/registry/block-messages');
const REGISTRY = 'fixtures/demo/registry.yaml';
const EXCEPTIONS = 'fixtures/demo/exceptions.yaml';
const PEOPLE = 'fixtures/demo/people.txt';
const update = process.env['UPDATE_GOLDEN'] === '1';

let demo: string;
let db: string;
let report: ScanReport;
let ctx: BlockContext;
/** The one scan of the demo, through the CLI as a gate runs it (see beforeAll), and what it wrote. */
let gate: { code: number; err: string; message: string; events: string; json: string };
const cwd = process.cwd();

function one(detector: string, subject: string): Finding {
  const f = report.findings.find((x) => x.detector === detector && (x.subject.id === subject || x.subject.arn === subject));
  if (!f) throw new Error(`no ${detector} finding on ${subject}`);
  return f;
}

function pinned(name: string, actual: string): void {
  const file = join(MESSAGES, name);
  if (update) {
    mkdirSync(MESSAGES, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

beforeAll(async () => {
  process.chdir(ROOT); // file names in the messages relative to the checkout, as in CI
  demo = join(tempDir(), 'demo');
  await generateDemo({ out: demo });
  // One scan serves every test: through the CLI with the gate (--fail-on high --block-message), a JSONL sink and a
  // JSON report, into the database registry check reads. The messages are rendered from its JSON report (the
  // ScanReport itself), the gate tests read its exit code, stderr and files.
  const dir = tempDir();
  db = join(dir, 'state.duckdb');
  gate = { code: 0, err: '', message: join(dir, 'block.md'), events: join(dir, 'events.jsonl'), json: join(dir, 'r.json') };
  const r = await cli('scan', '--from', demo, '--as-of', AS_OF, '--db', db, '--format', 'json', '--output', gate.json, '-q',
    '--fail-on', 'high', '--block-message', gate.message, '--sink', `jsonl:${gate.events}`, '--registry', REGISTRY, '--exceptions', EXCEPTIONS, '--people', PEOPLE);
  gate.code = r.code;
  gate.err = r.err;
  report = JSON.parse(readFileSync(gate.json, 'utf8')) as ScanReport;
  ctx = blockContext('shadowscan scan --fail-on high', new Date(AS_OF), { registryFile: REGISTRY, exceptionsFile: EXCEPTIONS, peopleFile: PEOPLE, detectorDirs: [] }, report.findings);
}, 300_000);

afterAll(() => {
  process.chdir(cwd);
});

describe('block messages, one per kind (exact text)', () => {
  const cases: [string, string, string][] = [
    ['approvals-missing.txt', 'registry/approvals', 'slack-digest-agent'],
    ['approvals-departed.txt', 'registry/approvals', 'ops-bot'],
    ['approvals-self.txt', 'registry/approvals', 'ci-deployer'],
    ['tier-violation.txt', 'registry/tier-violation', 'arn:aws:iam::345678901234:user/data-pipeline-bot'],
    ['unregistered.txt', 'registry/unregistered', 'arn:aws:iam::345678901234:role/report-agent'],
    ['certification-expired.txt', 'registry/certification-expired', 'ci-deployer'],
    ['ownerless.txt', 'registry/ownerless', 'arn:aws:iam::345678901234:user/ops-bot'],
    ['drift.txt', 'registry/drift', 'slack-digest-agent'],
    ['overbroad.txt', 'aws/overbroad', 'arn:aws:iam::345678901234:user/gpt-nightly'],
  ];
  for (const [file, detector, subject] of cases) {
    it(`${detector} on ${subject}`, () => {
      pinned(file, renderBlockText(blockMessage([one(detector, subject)], ctx)));
    });
  }

  it('the same message as Markdown for a PR comment (the self-approved entry)', () => {
    pinned('approvals-self.md', renderBlockMarkdown(blockMessage([one('registry/approvals', 'ci-deployer')], ctx)));
  });

  it('approvers, usual waits, exception approvers and help come from the registry policy, not the code', () => {
    const policy = structuredClone(ctx.policy!);
    policy.tiers['3'] = { approvers: ['team-lead'], usual_wait: 'a fortnight', exception_approver: 'compliance' };
    policy.exception_max_days = 14;
    policy.help = { channel: '#ask-sec' };
    const t = renderBlockText(blockMessage([one('registry/unregistered', 'arn:aws:iam::345678901234:role/report-agent')], { ...ctx, policy }));
    // nick owns the role by its tag but has left: not offered
    expect(t).toContain('Get tier 3 approved by team-lead (alice@example.com, olga@example.com) — usually a fortnight.');
    expect(t).toContain('approved by the compliance role (rita@example.com) for tier 3, expiring within 14 days:');
    expect(t).toContain('expires: 2026-12-04');
    expect(t).toMatch(/Questions: #ask-sec\n$/);
    const none = renderBlockText(blockMessage([one('registry/drift', 'slack-digest-agent')], { ...ctx, policy: undefined }));
    expect(none).toContain('No help channel is declared: add policy.help (channel, url, appeals) to fixtures/demo/registry.yaml');
    expect(none).toContain('approved by a person with authority to accept the risk');
  });
});

describe('fitting a GitHub comment', () => {
  it('every finding of the demo renders under 65,536 characters: what does not fit is listed, then counted', () => {
    const md = renderBlockMarkdown(blockMessage(report.findings, ctx));
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toMatch(/^### \d+ more \(one line each; the full text is in the job log\)$/m);
    expect(md).toMatch(/- Appeals: https:\/\/wiki\.example\.com\/agent-registry#appeals\n$/);
    const small = renderBlockMarkdown(blockMessage(report.findings, ctx), 5000);
    expect(small.length).toBeLessThanOrEqual(5000);
    expect(small).toMatch(/^- … and \d+ more not shown here \(see the job log or the report\)$/m);
  });

  it('text from the scanned accounts cannot close a fence or inject HTML', () => {
    const f = one('registry/drift', 'slack-digest-agent');
    const evil: Finding = { ...f, reason: 'name <img src=x onerror=alert(1)> done', evidence: { ...f.evidence, registry_yaml: '```\n# end' }, detector: 'registry/unregistered', subject: { ...f.subject, id: 'x```y' } };
    const md = renderBlockMarkdown(blockMessage([evil], ctx));
    expect(md).toContain('name &lt;img src=x onerror=alert(1)&gt; done');
    expect(md).toContain('   ````yaml\n   ```\n   # end\n   ````');
  });
});

describe('every gate can render it', () => {
  const demoFlags = ['--registry', REGISTRY, '--exceptions', EXCEPTIONS, '--people', PEOPLE];

  it('scan --fail-on high --block-message: Markdown file (0600) for the PR, the text on stderr for the log; nothing when the gate passes', async () => {
    // The scan of beforeAll, run as: scan --fail-on high --block-message FILE (with --sink and --output).
    expect(gate.code).toBe(1);
    const md = readFileSync(gate.message, 'utf8');
    const high = report.findings.filter((f) => f.severity === 'high' || f.severity === 'critical').length;
    expect(md.split("\n")[0]).toBe(`## shadowscan blocked this: ${high} findings from \`shadowscan scan --fail-on high\``);
    expect(statSync(gate.message).mode & 0o777).toBe(0o600);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(gate.err).toContain(`shadowscan blocked this: ${high} findings from shadowscan scan --fail-on high\n`);
    expect(gate.err).toContain(readFileSync(join(MESSAGES, 'overbroad.txt'), 'utf8').split('\n').slice(3, 12).join('\n').replace(/^1\./, ''));
    // A gate that passes writes no message (registry findings are at most high).
    const pass = join(tempDir(), 'none.md');
    const ok = await cli('registry', 'check', '--db', db, '--fail-on', 'critical', '--block-message', pass, ...demoFlags);
    expect(ok.code).toBe(0);
    expect(existsSync(pass)).toBe(false);
  });

  it('registry check --block-message explains every violation', async () => {
    const out = join(tempDir(), 'check.md');
    const r = await cli('registry', 'check', '--db', db, '--block-message', out, ...demoFlags);
    expect(r.code).toBe(1);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/^## shadowscan blocked this: \d+ findings from `shadowscan registry check --registry fixtures\/demo\/registry\.yaml`$/m);
    expect(md).toContain('### 1. high: tier-violation (registry/approvals) — registry entry ci-deployer');
    expect(r.err).toContain('Remove the approval by priya@example.com as security at fixtures/demo/registry.yaml:');
  });

  it('shadowscan block renders the sink events scan and the daemon deliver (JSONL file, webhook body) and JSON reports', async () => {
    // The events the scan of beforeAll delivered to its JSONL sink, and its JSON report.
    const dir = tempDir();
    const events = gate.events;
    const r = await cli('block', events, '--fail-on', 'high', ...demoFlags);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^shadowscan blocked this: \\d+ findings from shadowscan sink events \\(${events.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\n`));
    expect(r.out).toContain(readFileSync(join(MESSAGES, 'unregistered.txt'), 'utf8').split('\n').slice(4, 8).join('\n'));
    // A webhook body, as a receiver would pass it on: same findings, same steps.
    const lines = readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    const body = join(dir, 'webhook.json');
    writeFileSync(body, JSON.stringify({ source: 'shadowscan', version: '1', events: lines }));
    const w = await cli('block', body, '--fail-on', 'high', ...demoFlags);
    expect(w.out.split('\n').slice(1)).toEqual(r.out.split('\n').slice(1));
    const fromReport = await cli('block', gate.json, '--fail-on', 'high', '--format', 'md', ...demoFlags);
    expect(fromReport.out).toMatch(/^## shadowscan blocked this: \d+ findings from `shadowscan scan \(/);
    const bad = await cli('block', join(dir, 'nope.json'));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('nope.json: cannot read (ENOENT)');
  });
});
