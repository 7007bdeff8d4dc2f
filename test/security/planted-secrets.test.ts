/**
 * Plant secrets in their real formats in every source (CloudTrail S3 files and LookupEvents exports,
 * IAM tags, GitHub export and API bodies, leak reports, registry and exception files), scan, render
 * every format, deliver to every sink, collect from a GitHub API, then search the database file and
 * its WAL (bytes, and every column of every table by SQL), the GitHub cache and export, every report,
 * the sink deliveries and everything printed: no planted secret may be found anywhere.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FORMATS, FORMAT_EXTENSIONS } from '../../reports/index.js';
import { runScan } from '../../src/pipeline/pipeline.js';
import { REDACTED } from '../../src/kernel/redact.js';
import { quoteIdent, quoteLiteral, Store } from '../../src/store/db.js';
import { cli } from '../helpers/cli.js';
import { startFakeGithub, type FakeGithub } from '../helpers/github-server.js';
import { PLANTED_SECRETS, plantedIn } from '../helpers/planted-secrets.js';
import { tempDir } from '../helpers/scan.js';

const AS_OF = '2026-11-20T00:00:00Z';
const ACCOUNT = '210987654321';
const every = (f: (s: (typeof PLANTED_SECRETS)[number]) => string[]): string[] => PLANTED_SECRETS.flatMap(f);
/** Every planted context on one line (user agents and tag values are one line). */
const oneLine = every((s) => s.contexts).map((c) => c.replace(/\n/g, ' '));

function record(i: number, over: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.09', eventTime: `2026-11-19T0${i % 10}:00:00Z`, awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.7',
    eventID: `planted-${i}`, eventType: 'AwsApiCall', recipientAccountId: ACCOUNT, readOnly: false,
    userIdentity: { type: 'IAMUser', principalId: 'AIDAPLANTED', arn: `arn:aws:iam::${ACCOUNT}:user/planted-bot`, accountId: ACCOUNT, accessKeyId: 'AKIAPLANTEDKEY000001', userName: 'planted-bot' },
    ...over,
  };
}

/** The demo export with secrets planted in every source. */
function plantedExport(): { dir: string; leaks: string; registry: string; exceptions: string } {
  const dir = tempDir('shadowscan-planted-');
  cpSync('fixtures/demo', dir, { recursive: true });
  // CloudTrail (S3 layout): credentials in AssumeRole/GetSessionToken responses, passwords in requests,
  // tokens in user agents, in request fields and in S3 keys (the resource column).
  const records = [
    record(1, { eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', userAgent: oneLine[0],
      requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/figma-sync-agent`, roleSessionName: 'planted' },
      responseElements: { credentials: { accessKeyId: 'ASIAPLANTEDSESSION01', sessionToken: PLANTED_SECRETS[1]?.needle, secretAccessKey: PLANTED_SECRETS[0]?.needle, expiration: 'Nov 19, 2026, 2:00:00 AM' } } }),
    record(2, { eventSource: 'sts.amazonaws.com', eventName: 'GetSessionToken', userAgent: 'aws-cli/2.15.30',
      responseElements: { credentials: { accessKeyId: 'ASIAPLANTEDSESSION02', sessionToken: PLANTED_SECRETS[1]?.needle, secretAccessKey: PLANTED_SECRETS[0]?.needle } } }),
    record(3, { eventSource: 'iam.amazonaws.com', eventName: 'CreateLoginProfile', userAgent: 'aws-cli/2.15.30',
      requestParameters: { userName: 'planted-bot', password: PLANTED_SECRETS[2]?.needle, passwordResetRequired: false } }),
    record(4, { eventSource: 'iam.amazonaws.com', eventName: 'TagUser', userAgent: 'aws-cli/2.15.30',
      requestParameters: { userName: 'planted-bot', tags: oneLine.map((v, i) => ({ key: `note${i}`, value: v })) } }),
    ...oneLine.map((ua, i) => record(10 + i, { eventSource: 's3.amazonaws.com', eventName: 'GetObject', readOnly: true, userAgent: ua,
      requestParameters: { bucketName: 'planted-bucket', key: `${ua.replace(/\s/g, '_')}/object.txt` } })),
  ];
  const trailDir = join(dir, 'aws/AWSLogs', ACCOUNT, 'CloudTrail/us-east-1/2026/11/19');
  mkdirSync(trailDir, { recursive: true });
  writeFileSync(join(trailDir, `${ACCOUNT}_CloudTrail_us-east-1_20261119T0000Z_planted.json`), JSON.stringify({ Records: records }));
  // LookupEvents export: the record is a JSON string inside the JSON.
  const lookup = oneLine.map((ua, i) => ({ EventId: `lookup-planted-${i}`, CloudTrailEvent: JSON.stringify(record(40 + i, {
    eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', userAgent: ua, requestParameters: { userName: `planted-${i}`, tags: [{ key: 'note', value: ua }] } })) }));
  writeFileSync(join(dir, 'aws', `lookup-events-${ACCOUNT}-planted.json`), JSON.stringify({ Events: lookup }));
  // IAM tags on a user and a role.
  const authFile = join(dir, 'aws/iam', ACCOUNT, 'get-account-authorization-details.json');
  const auth = JSON.parse(readFileSync(authFile, 'utf8')) as { UserDetailList: { Tags?: unknown[] }[]; RoleDetailList: { Tags?: unknown[] }[] };
  const tags = oneLine.map((v, i) => ({ Key: i === 0 ? 'owner' : `note${i}`, Value: v }));
  auth.UserDetailList[0]!.Tags = [...(auth.UserDetailList[0]!.Tags ?? []), ...tags];
  auth.RoleDetailList[0]!.Tags = [...tags];
  writeFileSync(authFile, JSON.stringify(auth));
  // GitHub export: a workflow with hard-coded tokens, a PAT grant and a deploy key named with tokens.
  const gh = join(dir, 'github/example');
  writeFileSync(join(gh, 'repos/web/workflows/planted.yml'), [
    'name: planted', 'on: { schedule: [{ cron: "0 3 * * *" }] }', 'jobs:', '  run:', '    runs-on: ubuntu-latest', '    env:',
    ...PLANTED_SECRETS.map((s, i) => `      PLANTED_${i}: ${JSON.stringify(s.contexts[0] ?? '')}`),
    '    steps:', ...oneLine.map((c) => `      - run: echo ${JSON.stringify(c)}`), '',
  ].join('\n'));
  const patFile = join(gh, 'personal-access-tokens.json');
  const pats = JSON.parse(readFileSync(patFile, 'utf8')) as Record<string, unknown>[];
  pats.push(...oneLine.map((c, i) => ({ ...pats[0], id: 990000 + i, token_name: c })));
  writeFileSync(patFile, JSON.stringify(pats));
  const keysFile = join(gh, 'repos/web/keys.json');
  const keys = JSON.parse(readFileSync(keysFile, 'utf8')) as Record<string, unknown>[];
  keys.push(...oneLine.map((c, i) => ({ id: 880000 + i, title: c, read_only: false, created_at: '2026-01-01T00:00:00Z', verified: true })));
  writeFileSync(keysFile, JSON.stringify(keys));
  // A leak report (gitleaks keeps the secret next to the key id) and config files.
  const leaks = join(dir, 'planted-leaks.json');
  writeFileSync(leaks, JSON.stringify(PLANTED_SECRETS.map((s, i) => ({
    Description: 'planted', RuleID: 'generic-api-key', File: `config/${oneLine[i]}.ini`, StartLine: 3, Commit: 'abc', Date: '2026-11-01T00:00:00Z',
    Secret: s.needle, Match: `aws_access_key_id = AKIAPGETLLEGACYA37DE secret = ${s.needle}`,
  }))));
  const registry = join(dir, 'registry.yaml');
  writeFileSync(registry, readFileSync(registry, 'utf8').replace(/purpose: Sync design tokens from Figma.*$/m, `purpose: ${JSON.stringify(`${oneLine.join(' | ')} Sync design tokens`)}`));
  const exceptions = join(dir, 'exceptions.yaml');
  writeFileSync(exceptions, readFileSync(exceptions, 'utf8').replace(/reason: Third-party.*$/m, `reason: ${JSON.stringify(`${oneLine.join(' | ')} Third-party`)}`));
  return { dir, leaks, registry, exceptions };
}

/** Every file below `dir`, with its bytes as latin1 text (a secret is ASCII: found byte for byte). */
function filesBelow(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const file = join(dir, name);
    if (statSync(file).isFile()) out.push({ file, text: readFileSync(file).toString('latin1') });
  }
  return out;
}

/** Rows of any table in the database whose text holds a planted secret. */
async function plantedInDatabase(store: Store): Promise<string[]> {
  const tables = await store.all<{ t: string }>(`SELECT DISTINCT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY t`);
  const hits: string[] = [];
  // One pass over each table: each row as text once, counted for every secret (a query per table and secret read
  // each table once per secret).
  const counts = PLANTED_SECRETS.map((s, i) => `count(*) FILTER (WHERE contains(row_text, ${quoteLiteral(s.needle)}))::INTEGER AS n${i}`).join(', ');
  for (const { t } of tables) {
    const row = await store.one<Record<string, number>>(`SELECT ${counts} FROM (SELECT CAST(x AS VARCHAR) AS row_text FROM ${quoteIdent(t)} AS x)`);
    PLANTED_SECRETS.forEach((s, i) => {
      const n = row?.[`n${i}`] ?? 0;
      if (n > 0) hits.push(`${t}: ${s.id} (${n} row(s))`);
    });
  }
  return hits;
}

let gh: FakeGithub;
let webhook: { url: string; bodies: string[]; close: () => Promise<void> };

beforeAll(async () => {
  gh = await startFakeGithub({
    name: 'planted', members: ['alice'],
    repos: [{ name: 'app', keys: oneLine.map((c, i) => ({ id: 500 + i, key: 'ssh-ed25519 AAAA', title: c, read_only: false, created_at: '2026-01-01T00:00:00Z', verified: true })),
      workflows: { 'ci.yml': `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${oneLine.map((c) => `      - run: echo ${JSON.stringify(c)}`).join('\n')}\n` } }],
    installations: [{ id: 1, app_slug: 'planted-app', account: { login: 'planted' }, repository_selection: 'all', permissions: { contents: 'read' }, events: [], created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', note: oneLine.join(' ') }],
    alerts: PLANTED_SECRETS.map((s, i) => ({ number: i + 1, secret_type: 'github_personal_access_token', secret: s.needle, state: 'open', created_at: '2026-11-01T00:00:00Z', html_url: `https://github.com/planted/app/security/secret-scanning/${i + 1}` })),
  });
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let b = '';
    req.on('data', (c: Buffer) => { b += c.toString('utf8'); });
    req.on('end', () => { bodies.push(b); res.writeHead(200).end('{}'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  webhook = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, close: () => new Promise((r) => server.close(() => r())) };
});
afterAll(async () => {
  await gh.close();
  await webhook.close();
});

describe('planted secrets', () => {
  it('are found nowhere: database and WAL, GitHub cache and export, every report, every sink, everything printed', async () => {
    const src = plantedExport();
    const work = tempDir('shadowscan-planted-out-');
    const db = join(work, 'state/shadowscan.duckdb');
    const out = join(work, 'reports');
    mkdirSync(out);
    const printed: string[] = [];
    const flags = ['--as-of', AS_OF, '--people', join(src.dir, 'people.txt'), '--leaks', src.leaks, '--registry', src.registry, '--exceptions', src.exceptions];

    // 1. The CLI: scan with every sink (the first run: every finding is an event), then every format from the
    //    stored run, explain and diff.
    const scan = await cli('scan', '--from', src.dir, '--db', db, ...flags, '--format', 'json', '--output', join(out, 'scan.json'),
      '--sink', `jsonl:${join(out, 'events.jsonl')}`, '--sink', `webhook:${webhook.url}`);
    printed.push(scan.out, scan.err);
    expect(scan.code, scan.err).toBe(0);
    // 2. A second scan, in process, whose WAL is read while the run's transaction is being written.
    let wal = '';
    await runScan({
      from: src.dir, dbPath: db, asOf: new Date(AS_OF), lookbackSeconds: 90 * 86400, lookbackText: '90d',
      peopleFile: join(src.dir, 'people.txt'), leakFiles: [src.leaks], registryFile: src.registry, exceptionsFile: src.exceptions,
      onPersist: async () => { if (existsSync(db + '.wal')) wal = readFileSync(db + '.wal').toString('latin1'); },
    });
    expect(wal.length).toBeGreaterThan(0);

    for (const format of FORMATS) {
      const r = await cli('report', '--db', db, '--format', format, '--output', join(out, `report.${FORMAT_EXTENSIONS[format]}`));
      printed.push(r.out, r.err);
      expect(r.code, r.err).toBe(0);
    }
    const table = await cli('report', '--db', db, '--format', 'table');
    printed.push(table.out, table.err);
    const report = JSON.parse(readFileSync(join(out, 'scan.json'), 'utf8')) as { inventory: { id: string }[]; findings: { id: string }[] };
    for (const id of [...report.inventory.slice(0, 3).map((i) => i.id), `arn:aws:iam::${ACCOUNT}:user/planted-bot`]) {
      const r = await cli('explain', id, '--db', db);
      printed.push(r.out, r.err);
    }
    const diff = await cli('diff', '--db', db);
    printed.push(diff.out, diff.err);
    // A malformed leak report must not echo the secret next to the error.
    const badLeaks = join(work, 'bad-leaks.json');
    writeFileSync(badLeaks, `[{"RuleID": "x", "Secret": ${PLANTED_SECRETS[0]?.needle}}]`);
    const bad = await cli('scan', '--from', src.dir, '--db', ':memory:', '--leaks', badLeaks, '--format', 'json');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(badLeaks);
    printed.push(bad.out, bad.err);
    const badLines = join(work, 'bad-leaks.jsonl');
    writeFileSync(badLines, `{"DetectorName": "AWS", "Raw": "x"}\n{"DetectorName": "AWS", "Raw": ${PLANTED_SECRETS[3]?.needle}}\n`);
    const bad2 = await cli('scan', '--from', src.dir, '--db', ':memory:', '--leaks', badLines, '--format', 'json');
    expect(bad2.err).toMatch(/line 2/);
    printed.push(bad2.out, bad2.err);

    // 3. Collect from a GitHub API serving tokens in deploy-key titles, workflows, installations and alerts.
    const collected = join(work, 'collected');
    vi.stubEnv('GITHUB_TOKEN', PLANTED_SECRETS[3]?.needle ?? ''); // the client's own token must never be written either
    const col = await cli('collect', '--out', collected, '--github-org', 'planted', '--github-api-url', gh.apiUrl);
    vi.unstubAllEnvs();
    printed.push(col.out, col.err);
    expect(col.code, col.err).toBe(0);
    expect(existsSync(join(collected, 'github/planted/.http-cache.json'))).toBe(true);

    // The plants reached every store they would have leaked into (so a clean result is not a missed load).
    const store = await Store.open(db);
    try {
      expect(await plantedInDatabase(store)).toEqual([]);
      const reached = async (sql: string): Promise<number> => (await store.one<{ n: number }>(sql))?.n ?? 0;
      expect(await reached(`SELECT count(*) AS n FROM cloudtrail_events WHERE contains(user_agent, '${REDACTED}')`)).toBeGreaterThan(0);
      expect(await reached(`SELECT count(*) AS n FROM cloudtrail_events WHERE contains(CAST(response_elements AS VARCHAR), '${REDACTED}')`)).toBeGreaterThan(0);
      expect(await reached(`SELECT count(*) AS n FROM iam_principals WHERE contains(CAST(tags AS VARCHAR), '${REDACTED}')`)).toBeGreaterThan(0);
      expect(await reached(`SELECT count(*) AS n FROM registry_agents WHERE contains(purpose, '${REDACTED}')`)).toBeGreaterThan(0);
    } finally {
      store.close();
    }

    const places = [
      ...filesBelow(join(work, 'state')), ...filesBelow(out), ...filesBelow(collected),
      { file: 'WAL during the run', text: wal }, { file: 'printed', text: printed.join('\n') },
      ...webhook.bodies.map((b, i) => ({ file: `webhook delivery ${i}`, text: b })),
    ];
    expect(webhook.bodies.length).toBeGreaterThan(0);
    const hits = places.flatMap((p) => plantedIn(p.text).map((id) => `${p.file}: ${id}`));
    expect(hits).toEqual([]);
  }, 180_000);
});
