import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/kernel/types.js';
import { DemoOptionsError, generateDemo, main, type DemoSummary } from '../../tools/demo/generate.js';
import { CREDENTIAL_REPORT_HEADER } from '../../tools/demo/iam-export.js';
import { ALL_CATEGORIES, PLANTED } from '../../tools/demo/planted.js';
import { DEV, KEYS, ORG_ID, PROD } from '../../tools/demo/world.js';

type Rec = Record<string, any>;

const AS_OF = Date.parse('2026-11-20T00:00:00Z');
const START = AS_OF - 21 * 86_400_000;
const SMALL = 3000;

let root: string;
let dirA: string;
let summaryA: DemoSummary;
/** Relative path → file bytes, for the first run. */
let filesA: Map<string, Buffer>;
let trail: { path: string; records: Rec[] }[];
let lookup: Rec[];
let allRecords: Rec[];

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

async function readAll(dir: string): Promise<Map<string, Buffer>> {
  const m = new Map<string, Buffer>();
  for (const p of (await walk(dir)).sort()) m.set(relative(dir, p).split(sep).join('/'), await readFile(p));
  return m;
}

function digestAll(files: Map<string, Buffer>): Map<string, string> {
  return new Map([...files].map(([k, v]) => [k, createHash('sha256').update(v).digest('hex')]));
}

function text(rel: string): string {
  const b = filesA.get(rel);
  if (!b) throw new Error(`missing ${rel}`);
  return b.toString('utf8');
}

function iamDoc(account: string): Rec {
  return JSON.parse(text(`aws/iam/${account}/get-account-authorization-details.json`)) as Rec;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'shadowscan-demo-'));
  dirA = join(root, 'a');
  summaryA = await generateDemo({ out: dirA, records: SMALL, seed: 'test-seed' });
  filesA = await readAll(dirA);
  trail = [...filesA].filter(([k]) => k.endsWith('.json.gz')).map(([path, buf]) => ({ path, records: (JSON.parse(gunzipSync(buf).toString('utf8')) as { Records: Rec[] }).Records }));
  lookup = (JSON.parse(text(`aws/lookup-events-${DEV}-us-east-1.json`)) as { Events: Rec[] }).Events;
  allRecords = [...trail.flatMap((f) => f.records), ...lookup.map((e) => JSON.parse(e['CloudTrailEvent'] as string) as Rec)];
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('demo org layout', () => {
  it('writes the offline layout with organization-trail file names', () => {
    const names = [...filesA.keys()];
    expect(names).toContain('README.md');
    expect(names).toContain(`aws/lookup-events-${DEV}-us-east-1.json`);
    for (const acct of [PROD, DEV]) {
      for (const f of ['get-account-authorization-details.json', 'credential-report.csv', 'list-access-keys.json']) expect(names).toContain(`aws/iam/${acct}/${f}`);
    }
    const re = new RegExp(`^aws/AWSLogs/${ORG_ID}/${PROD}/CloudTrail/(us-east-1|eu-west-1)/(\\d{4})/(\\d{2})/(\\d{2})/${PROD}_CloudTrail_(us-east-1|eu-west-1)_(\\d{8})T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`);
    const gz = names.filter((n) => n.endsWith('.gz'));
    expect(gz.length).toBe(summaryA.trailFiles);
    const days = new Set<string>();
    for (const n of gz) {
      const m = re.exec(n);
      expect(m, n).not.toBeNull();
      if (!m) continue;
      expect(m[5]).toBe(m[1]); // region in the name = region folder
      expect(m[6]).toBe(`${m[2]}${m[3]}${m[4]}`); // date in the name = date folder
      days.add(`${m[1]}/${m[6]}`);
    }
    // Both regions, every day of the 21-day window (2026-10-30 .. 2026-11-19).
    expect(days.size).toBe(42);
    expect(days).toContain('us-east-1/20261030');
    expect(days).toContain('eu-west-1/20261119');
    // Nothing else is written (no stray files outside the layout).
    expect(names.filter((n) => !n.startsWith('aws/') && !n.startsWith('github/example/') && n !== 'README.md' && n !== 'people.txt' && !n.startsWith('leaks/'))).toEqual([]);
  });

  it('keeps trail files at most 700 records, sorted, inside their day', () => {
    for (const f of trail) {
      expect(f.records.length).toBeGreaterThan(0);
      expect(f.records.length).toBeLessThanOrEqual(700);
      const day = f.path.split('/').slice(6, 9).join('-');
      const times = f.records.map((r) => r['eventTime'] as string);
      expect([...times].sort()).toEqual(times);
      for (const t of times) expect(t.slice(0, 10)).toBe(day);
      for (const r of f.records) expect(r['awsRegion']).toBe(f.path.split('/')[5]);
    }
  });

  it('produces about --records records and reports what it wrote', () => {
    expect(summaryA.records).toBe(trail.reduce((n, f) => n + f.records.length, 0) + lookup.length);
    expect(summaryA.lookupEvents).toBe(lookup.length);
    // Small targets are raised to the floor the story needs (cadences, one-off events).
    expect(summaryA.records).toBeGreaterThan(SMALL);
    expect(summaryA.records).toBeLessThan(10_000);
    const total = [...filesA.values()].reduce((n, b) => n + b.length, 0);
    expect(summaryA.bytes).toBe(total);
  });
});

describe('scaling', () => {
  it('hits the --records target and keeps each identity\'s rhythm', async () => {
    const out = join(root, 'scaled');
    const s = await generateDemo({ out, records: 15_000, seed: 'test-seed' });
    expect(Math.abs(s.records - 15_000)).toBeLessThan(750);
    // Same cron slots as the small run, just more calls per slot.
    const files = await readAll(out);
    const recs = [...files].filter(([k]) => k.endsWith('.gz')).flatMap(([, b]) => (JSON.parse(gunzipSync(b).toString('utf8')) as { Records: Rec[] }).Records);
    const janeSlots = (rs: Rec[]): number => new Set(rs.filter((r) => (r['userIdentity'] as Rec)['accessKeyId'] === KEYS.jane && r['eventName'] === 'InvokeModel').map((r) => Math.floor(Date.parse(r['eventTime'] as string) / 900_000))).size;
    expect(janeSlots(recs)).toBe(janeSlots(allRecords));
    await rm(out, { recursive: true, force: true });
  });
});

describe('CloudTrail records', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const KEY = /^(AKIA|ASIA)[A-Z2-7]{16}$/;

  /** Everything wrong with one record, as readable strings (fast: no expect() per field). */
  function problems(r: Rec): string[] {
    const out: string[] = [];
    const need = (ok: boolean, what: string): void => {
      if (!ok) out.push(`${String(r['eventID'])} ${String(r['eventName'])}: ${what}`);
    };
    need(['1.08', '1.09'].includes(r['eventVersion'] as string), 'eventVersion');
    need(typeof r['userIdentity'] === 'object' && r['userIdentity'] !== null, 'userIdentity');
    need(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(String(r['eventTime'])), 'eventTime format');
    const t = Date.parse(String(r['eventTime']));
    need(t >= START && t < AS_OF, 'eventTime in window');
    need(/^[a-z0-9-]+\.amazonaws\.com$/.test(String(r['eventSource'])), 'eventSource');
    need(typeof r['eventName'] === 'string', 'eventName');
    need(['us-east-1', 'eu-west-1'].includes(r['awsRegion'] as string), 'awsRegion');
    need(typeof r['sourceIPAddress'] === 'string', 'sourceIPAddress');
    need(typeof r['userAgent'] === 'string', 'userAgent');
    need(UUID.test(String(r['eventID'])), 'eventID');
    need(typeof r['requestID'] === 'string', 'requestID');
    need(typeof r['readOnly'] === 'boolean', 'readOnly');
    need(['AwsApiCall', 'AwsConsoleSignIn', 'AwsServiceEvent'].includes(r['eventType'] as string), 'eventType');
    need(typeof r['managementEvent'] === 'boolean', 'managementEvent');
    need(r['eventCategory'] === (r['managementEvent'] ? 'Management' : 'Data'), 'eventCategory');
    need([PROD, DEV].includes(r['recipientAccountId'] as string), 'recipientAccountId');
    need('requestParameters' in r && 'responseElements' in r, 'requestParameters/responseElements');
    const id = (r['userIdentity'] ?? {}) as Rec;
    need(id['accessKeyId'] === undefined || KEY.test(String(id['accessKeyId'])), 'accessKeyId shape');
    need(r['errorCode'] === undefined || typeof r['errorMessage'] === 'string', 'errorMessage with errorCode');
    need(r['tlsDetails'] === undefined || Object.keys(r['tlsDetails'] as Rec).join() === 'tlsVersion,cipherSuite,clientProvidedHostHeader', 'tlsDetails');
    if (id['type'] === 'AssumedRole') {
      const ctx = id['sessionContext'] as Rec | undefined;
      need(ctx?.['sessionIssuer']?.['type'] === 'Role' && typeof ctx['attributes']?.['creationDate'] === 'string', 'sessionContext');
      need(String(id['accessKeyId']).startsWith('ASIA'), 'role sessions use ASIA keys');
    }
    return out;
  }

  it('carry the fields real records have', () => {
    expect(allRecords.length).toBeGreaterThan(SMALL);
    expect(allRecords.flatMap(problems).slice(0, 20)).toEqual([]);
  });

  it('has unique event ids', () => {
    const ids = allRecords.map((r) => r['eventID']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers every identity type and event type the loaders must handle', () => {
    const types = new Set(allRecords.map((r) => (r['userIdentity'] as Rec)['type'] ?? '(none)'));
    for (const t of ['IAMUser', 'AssumedRole', 'WebIdentityUser', 'SAMLUser', 'AWSService', 'AWSAccount', '(none)']) expect(types).toContain(t);
    const evTypes = new Set(allRecords.map((r) => r['eventType']));
    expect(evTypes).toEqual(new Set(['AwsApiCall', 'AwsConsoleSignIn', 'AwsServiceEvent']));
    expect(allRecords.some((r) => r['vpcEndpointId'] !== undefined)).toBe(true);
    expect(allRecords.some((r) => r['sessionCredentialFromConsole'] === 'true')).toBe(true);
    expect(allRecords.some((r) => (r['userIdentity'] as Rec)['sessionContext']?.['ec2RoleDelivery'] === '2.0')).toBe(true);
    expect(allRecords.some((r) => (r['userIdentity'] as Rec)['sessionContext']?.['webIdFederationData']?.['federatedProvider'])).toBe(true);
    expect(allRecords.some((r) => (r['userIdentity'] as Rec)['invokedBy'] === 'support.amazonaws.com')).toBe(true);
    expect(allRecords.filter((r) => r['eventSource'] === 'kms.amazonaws.com' && (r['userIdentity'] as Rec)['type'] === 'AWSService').length).toBeGreaterThan(0);
    expect(allRecords.filter((r) => r['eventType'] === 'AwsServiceEvent').every((r) => (r['userIdentity'] as Rec)['accessKeyId'] === undefined)).toBe(true);
  });

  it('rotates role-session keys at least every hour', () => {
    const sessions = allRecords.filter((r) => (r['userIdentity'] as Rec)['arn'] === `arn:aws:sts::${PROD}:assumed-role/figma-sync-agent/i-0f3c2a9b8d7e6f501`);
    expect(sessions.length).toBeGreaterThan(100);
    const hoursByKey = new Map<string, Set<string>>();
    for (const r of sessions) {
      const k = (r['userIdentity'] as Rec)['accessKeyId'] as string;
      expect(k.startsWith('ASIA')).toBe(true);
      const set = hoursByKey.get(k) ?? new Set<string>();
      set.add((r['eventTime'] as string).slice(0, 13));
      hoursByKey.set(k, set);
    }
    // A session straddles at most two clock hours; there are many sessions over 21 days.
    for (const hours of hoursByKey.values()) expect(hours.size).toBeLessThanOrEqual(2);
    expect(hoursByKey.size).toBeGreaterThan(100);
  });

  it('writes the lookup-events export for dev: management events only, newest first', () => {
    expect(lookup.length).toBeGreaterThan(500);
    let prev = Infinity;
    for (const e of lookup) {
      const rec = JSON.parse(e['CloudTrailEvent'] as string) as Rec;
      expect(Object.keys(e).filter((k) => !['AccessKeyId', 'Username'].includes(k))).toEqual(['EventId', 'EventName', 'ReadOnly', 'EventTime', 'EventSource', 'Resources', 'CloudTrailEvent']);
      expect(e['EventId']).toBe(rec['eventID']);
      expect(e['EventName']).toBe(rec['eventName']);
      expect(e['ReadOnly']).toBe(String(rec['readOnly']));
      expect(e['EventSource']).toBe(rec['eventSource']);
      expect(e['AccessKeyId']).toBe((rec['userIdentity'] as Rec)['accessKeyId']);
      expect(Date.parse(e['EventTime'] as string)).toBe(Date.parse(rec['eventTime'] as string));
      expect(rec['recipientAccountId']).toBe(DEV);
      expect(rec['managementEvent']).toBe(true);
      expect(rec['awsRegion']).toBe('us-east-1');
      const t = Date.parse(rec['eventTime'] as string);
      expect(t).toBeLessThanOrEqual(prev);
      prev = t;
    }
    // Data events only in the trail.
    expect(trail.some((f) => f.records.some((r) => r['eventCategory'] === 'Data'))).toBe(true);
  });
});

describe('determinism', () => {
  it('gives identical bytes for the same seed (regenerating over the previous demo) and different traffic for another seed', async () => {
    await generateDemo({ out: dirA, records: SMALL, seed: 'test-seed' });
    const da = digestAll(filesA);
    expect(digestAll(await readAll(dirA))).toEqual(da);
    const c = join(root, 'c');
    await generateDemo({ out: c, records: SMALL, seed: 'other-seed' });
    const dc = digestAll(await readAll(c));
    // IAM state and the contract do not depend on the seed; the traffic does.
    expect(dc.get(`aws/iam/${PROD}/list-access-keys.json`)).toBe(da.get(`aws/iam/${PROD}/list-access-keys.json`));
    expect(dc.get(`aws/lookup-events-${DEV}-us-east-1.json`)).not.toBe(da.get(`aws/lookup-events-${DEV}-us-east-1.json`));
  });

  it('refuses to clobber a directory that is not a demo, and bad options', async () => {
    const other = join(root, 'not-a-demo');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'notes.txt'), 'keep me');
    await expect(generateDemo({ out: other, records: 0 })).rejects.toBeInstanceOf(DemoOptionsError);
    expect(await readFile(join(other, 'notes.txt'), 'utf8')).toBe('keep me');
    await expect(generateDemo({ out: other, records: 10, asOf: '2026-11-20T12:00:00Z' })).rejects.toThrow(/midnight UTC/);
    await expect(generateDemo({ out: other, records: -1 })).rejects.toThrow(/--records/);
  });
});

describe('IAM exports', () => {
  it('contain every planted identity that still exists, and not the deleted ones', () => {
    for (const p of PLANTED) {
      if (p.kind === 'oidc-subject') continue;
      const gaad = iamDoc(p.account);
      const users = (gaad['UserDetailList'] as Rec[]).map((u) => u['Arn']);
      const roles = (gaad['RoleDetailList'] as Rec[]).map((r) => r['Arn']);
      expect([...users, ...roles].includes(p.arn), `${p.name} in IAM`).toBe(p.inIam);
    }
    const prodUsers = (iamDoc(PROD)['UserDetailList'] as Rec[]).map((u) => u['UserName']);
    expect(prodUsers).not.toContain('dave');
  });

  it('write policy documents as objects in prod and URL-encoded JSON in dev', () => {
    const prod = iamDoc(PROD);
    const dev = iamDoc(DEV);
    const prodRole = (prod['RoleDetailList'] as Rec[]).find((r) => r['RoleName'] === 'github-actions-deploy') as Rec;
    expect(typeof prodRole['AssumeRolePolicyDocument']).toBe('object');
    const devUser = (dev['UserDetailList'] as Rec[]).find((u) => u['UserName'] === 'gpt-nightly') as Rec;
    const encoded = (devUser['UserPolicyList'] as Rec[])[0]?.['PolicyDocument'] as string;
    expect(encoded.startsWith('%7B')).toBe(true);
    expect(encoded).not.toMatch(/[{}"*]/);
    const decoded = JSON.parse(decodeURIComponent(encoded)) as Rec;
    expect(decoded['Statement'][0]['NotAction']).toEqual(['iam:*', 'organizations:*', 'account:*']);
    for (const p of dev['Policies'] as Rec[]) for (const v of p['PolicyVersionList'] as Rec[]) expect(typeof v['Document']).toBe('string');
    for (const p of prod['Policies'] as Rec[]) {
      const versions = p['PolicyVersionList'] as Rec[];
      expect(versions.filter((v) => v['IsDefaultVersion'] === true).length).toBe(1);
      for (const v of versions) expect(typeof v['Document']).toBe('object');
    }
  });

  it('have the shapes the CLI prints', () => {
    const prod = iamDoc(PROD);
    expect(Object.keys(prod)).toEqual(['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies']);
    const figma = (prod['RoleDetailList'] as Rec[]).find((r) => r['RoleName'] === 'figma-sync-agent') as Rec;
    expect(figma['PermissionsBoundary']['PermissionsBoundaryArn']).toBe(`arn:aws:iam::${PROD}:policy/boundaries/agent-boundary`);
    expect((figma['InstanceProfileList'] as Rec[])[0]?.['InstanceProfileName']).toBe('figma-sync-agent');
    expect(figma['RoleLastUsed']['Region']).toBe('eu-west-1');
    const breakGlass = (prod['RoleDetailList'] as Rec[]).find((r) => r['RoleName'] === 'break-glass-admin') as Rec;
    expect(breakGlass['RoleLastUsed']).toEqual({});
    const alice = (prod['UserDetailList'] as Rec[]).find((u) => u['UserName'] === 'alice') as Rec;
    expect(alice['GroupList']).toEqual(['Admins']);
    const admins = (prod['GroupDetailList'] as Rec[]).find((g) => g['GroupName'] === 'Admins') as Rec;
    expect(admins['AttachedManagedPolicies']).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
    expect((prod['UserDetailList'] as Rec[]).every((u) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/.test(u['CreateDate'] as string))).toBe(true);
    const keys = JSON.parse(text(`aws/iam/${DEV}/list-access-keys.json`)) as { AccessKeyMetadata: Rec[] };
    const opsBot = keys.AccessKeyMetadata.filter((k) => k['UserName'] === 'ops-bot').map((k) => k['AccessKeyId']);
    expect(opsBot).toEqual([KEYS.opsBotUsed, KEYS.opsBotUnused]);
    expect(keys.AccessKeyMetadata.map((k) => k['AccessKeyId'])).not.toContain(KEYS.rotatedOld);
  });

  it('write the credential report with AWS\'s exact header and values', () => {
    for (const acct of [PROD, DEV]) {
      const lines = text(`aws/iam/${acct}/credential-report.csv`).trimEnd().split('\n');
      expect(lines[0]).toBe(CREDENTIAL_REPORT_HEADER);
      expect(lines[0]).toBe('user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated');
      expect(lines[1]?.startsWith(`<root_account>,arn:aws:iam::${acct}:root,`)).toBe(true);
      expect(lines[1]?.split(',')[3]).toBe('not_supported');
      for (const l of lines) expect(l.split(',').length).toBe(22);
    }
    const dev = Object.fromEntries(text(`aws/iam/${DEV}/credential-report.csv`).trimEnd().split('\n').slice(1).map((l) => [l.split(',')[0], l.split(',')]));
    const etl = dev['etl-legacy'] as string[];
    expect(etl[3]).toBe('false');
    expect(etl[4]).toBe('N/A');
    expect(Date.parse(etl[9] as string)).toBeLessThan(AS_OF - 419 * 86_400_000); // key ~420 days old
    expect(Math.round((AS_OF - Date.parse(etl[10] as string)) / 86_400_000)).toBe(130); // last used 130 days ago
    const ops = dev['ops-bot'] as string[];
    expect(ops.slice(13, 18)).toEqual(['true', ops[14], 'N/A', 'N/A', 'N/A']);
    const prod = Object.fromEntries(text(`aws/iam/${PROD}/credential-report.csv`).trimEnd().split('\n').slice(1).map((l) => [l.split(',')[0], l.split(',')]));
    expect((prod['alice'] as string[]).slice(3, 8)).toEqual(['true', expect.stringMatching(/^2026-11-19T/), expect.any(String), 'N/A', 'true']);
    // The report's last use of a key equals its last use in CloudTrail.
    const last = allRecords.filter((r) => (r['userIdentity'] as Rec)['accessKeyId'] === KEYS.svcSupportAgent).map((r) => r['eventTime'] as string).sort().pop();
    expect((prod['svc-support-agent'] as string[])[10]).toBe(last?.replace('Z', '+00:00'));
  });
});

describe('planted story', () => {
  const find = (pred: (r: Rec) => boolean): Rec[] => allRecords.filter(pred);
  const by = (name: string) => (r: Rec): boolean => (r['userIdentity'] as Rec)['userName'] === name;

  it('has dave creating the agent identities, then being deleted', () => {
    const creates = find((r) => by('dave')(r) && ['CreateRole', 'CreateUser', 'CreateAccessKey'].includes(r['eventName'] as string));
    expect(creates.map((r) => r['eventName']).sort()).toEqual(['CreateAccessKey', 'CreateRole', 'CreateUser']);
    const role = creates.find((r) => r['eventName'] === 'CreateRole') as Rec;
    expect(role['requestParameters']['roleName']).toBe('AmazonBedrockAgentCoreSDKRuntime-us-east-1-7f3a9c');
    expect(role['responseElements']['role']['arn']).toBe(`arn:aws:iam::${PROD}:role/AmazonBedrockAgentCoreSDKRuntime-us-east-1-7f3a9c`);
    expect(role['userAgent']).toContain('agentcore-st/');
    const key = creates.find((r) => r['eventName'] === 'CreateAccessKey') as Rec;
    expect(key['responseElements']['accessKey']).toEqual({ userName: 'svc-support-agent', accessKeyId: KEYS.svcSupportAgent, status: 'Active', createDate: expect.any(String) });
    expect(find((r) => r['eventName'] === 'DeleteUser' && r['requestParameters']?.['userName'] === 'dave')).toHaveLength(1);
  });

  it('has ci-deployer signing in to the console once and its key checked by TruffleHog', () => {
    const logins = find((r) => r['eventName'] === 'ConsoleLogin' && by('ci-deployer')(r));
    expect(logins).toHaveLength(1);
    expect(logins[0]?.['eventType']).toBe('AwsConsoleSignIn');
    expect(logins[0]?.['additionalEventData']['MFAUsed']).toBe('No');
    const th = find((r) => r['userAgent'] === 'TruffleHog');
    expect(th).toHaveLength(1);
    expect(th[0]?.['eventName']).toBe('GetCallerIdentity');
    expect(th[0]?.['userIdentity']['accessKeyId']).toBe(KEYS.ciDeployer);
  });

  it('keeps jane\'s agent on its 15-minute cron at any volume', () => {
    const jane = find((r) => (r['userIdentity'] as Rec)['accessKeyId'] === KEYS.jane && r['eventName'] === 'InvokeModel');
    expect(jane.every((r) => (r['userAgent'] as string).includes('x-client-framework:langchain-aws'))).toBe(true);
    const slots = new Set(jane.map((r) => Math.floor(Date.parse(r['eventTime'] as string) / 900_000)));
    expect(slots.size).toBeGreaterThan(21 * 96 * 0.95);
    const hours = new Set(jane.map((r) => new Date(r['eventTime'] as string).getUTCHours()));
    expect(hours.size).toBe(24);
  });

  it('has report-agent probing with AccessDenied across 6+ services within an hour, then escalating', () => {
    const denied = find((r) => (r['userIdentity'] as Rec)['sessionContext']?.['sessionIssuer']?.['userName'] === 'report-agent' && /AccessDenied|Unauthorized|AuthorizationError/.test(String(r['errorCode'] ?? '')));
    const services = new Set(denied.map((r) => r['eventSource']));
    expect(services.size).toBeGreaterThanOrEqual(6);
    const times = denied.map((r) => Date.parse(r['eventTime'] as string));
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(3_600_000);
    const writes = find((r) => (r['userIdentity'] as Rec)['sessionContext']?.['sessionIssuer']?.['userName'] === 'report-agent' && r['eventSource'] === 'iam.amazonaws.com' && r['readOnly'] === false);
    expect(writes.map((r) => r['eventName']).sort()).toEqual(['AttachUserPolicy', 'CreateAccessKey', 'PutRolePolicy']);
  });

  it('uses data-pipeline-bot\'s one key from many networks and tools', () => {
    const recs = find((r) => (r['userIdentity'] as Rec)['accessKeyId'] === KEYS.dataPipeline);
    const nets = new Set(recs.map((r) => (r['sourceIPAddress'] as string).split('.').slice(0, 2).join('.')));
    expect(nets.size).toBeGreaterThanOrEqual(6);
    expect(recs.some((r) => (r['userAgent'] as string).includes('exec-env/GitHubActions'))).toBe(true);
    expect(recs.some((r) => (r['userAgent'] as string).startsWith('python-requests/'))).toBe(true);
  });

  it('shows every planted identity in CloudTrail except the deliberately silent ones', () => {
    const silent = new Set(['etl-legacy', 'break-glass-admin', 'AWSServiceRoleForECS']);
    const arns = new Set<string>();
    for (const r of allRecords) {
      const id = r['userIdentity'] as Rec;
      if (id['arn']) arns.add(id['arn'] as string);
      const issuer = id['sessionContext']?.['sessionIssuer']?.['arn'];
      if (issuer) arns.add(issuer as string);
      if (id['principalId']) arns.add(id['principalId'] as string);
    }
    for (const p of PLANTED) expect(arns.has(p.arn), p.name).toBe(!silent.has(p.name));
  });

  it('uses only categories from the core vocabulary', () => {
    const vocab = new Set<string>(CATEGORIES);
    for (const c of ALL_CATEGORIES) expect(vocab.has(c), c).toBe(true);
    for (const p of PLANTED) for (const c of p.expect) expect(p.mustNot).not.toContain(c);
  });

  it('lists every planted identity in the README', () => {
    const readme = text('README.md');
    for (const p of PLANTED) expect(readme).toContain(`\`${p.name}\``);
  });
});

describe('secrets', () => {
  it('never writes anything shaped like a secret access key or session token', () => {
    const patterns = [
      /secret_?access_?key/i,
      /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+=]{40}/i,
      /session_?token/i,
      // A value that is exactly 40 base64 characters: the shape of a secret access key.
      /(?<=["'=\s])[A-Za-z0-9/+]{40}(?=\\?["'\s])/,
    ];
    // The patterns do catch the shapes they are for.
    const fake = 'Ab1/'.repeat(10);
    for (const sample of [`{"SecretAccessKey":"x"}`, `aws_secret_access_key = ${fake}`, `{"sessionToken":"x"}`, `{"k":"${fake}"}`, `{\\"k\\":\\"${fake}\\"}`]) {
      expect(patterns.some((re) => re.test(sample)), sample).toBe(true);
    }
    const hits: string[] = [];
    for (const [name, buf] of filesA) {
      const t = (name.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
      // GitHub bodies and workflows name secrets (AWS_SECRET_ACCESS_KEY, aws-secret-access-key inputs): names, never values.
      for (const re of name.startsWith('github/') ? patterns.slice(1) : patterns) {
        const m = re.exec(t);
        if (m) hits.push(`${name}: ${re} matched ${JSON.stringify(t.slice(Math.max(0, m.index - 60), m.index + m[0].length + 20))}`);
      }
    }
    expect(hits).toEqual([]);
  });
});

describe('CLI', () => {
  it('validates its flags with exit code 2', async () => {
    const err = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await main([])).toBe(2);
      expect(await main(['--out', join(root, 'x'), '--records', 'many'])).toBe(2);
      expect(await main(['--out', join(root, 'x'), '--bogus'])).toBe(2);
    } finally {
      process.stderr.write = err;
    }
    await expect(stat(join(root, 'x', 'aws'))).rejects.toThrow();
  });
});
