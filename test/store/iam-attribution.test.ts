import { cpSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/detect/loader.js';
import { scanDir, tempDir } from '../helpers/scan.js';

const EXPORT = join(projectRoot(), 'fixtures/ingestion/iam-cases/export');
const IAM = join(EXPORT, 'aws/iam');

/** The account an ARN names, read in the test from the raw text (not with the loader's helper). */
const accountOf = (arn: string): string => arn.split(':')[4]!;

/** Every principal, credential-report row and key of the raw export files, with the account its ARN names. */
function rawExport(): { principals: { arn: string; kind: string; folder: string }[]; report: { arn: string; user: string; folder: string }[]; keys: { id: string; user: string; folder: string }[] } {
  const principals: { arn: string; kind: string; folder: string }[] = [];
  const report: { arn: string; user: string; folder: string }[] = [];
  const keys: { id: string; user: string; folder: string }[] = [];
  for (const folder of readdirSync(IAM)) {
    const files = readdirSync(join(IAM, folder));
    if (files.includes('get-account-authorization-details.json')) {
      const d = JSON.parse(readFileSync(join(IAM, folder, 'get-account-authorization-details.json'), 'utf8')) as { UserDetailList: { Arn: string }[]; RoleDetailList: { Arn: string }[] };
      for (const u of d.UserDetailList) principals.push({ arn: u.Arn, kind: 'iam-user', folder });
      for (const r of d.RoleDetailList) principals.push({ arn: r.Arn, kind: 'iam-role', folder });
    }
    const lines = readFileSync(join(IAM, folder, 'credential-report.csv'), 'utf8').trim().split('\n').slice(1);
    for (const l of lines) { const [user, arn] = l.split(','); report.push({ user: user!, arn: arn!, folder }); }
    const meta = JSON.parse(readFileSync(join(IAM, folder, 'list-access-keys.json'), 'utf8')) as { AccessKeyMetadata: { UserName: string; AccessKeyId: string }[] };
    for (const k of meta.AccessKeyMetadata) keys.push({ id: k.AccessKeyId, user: k.UserName, folder });
  }
  return { principals, report, keys };
}

describe('IAM exports: every identity once, in the account its ARN names', () => {
  it('principals of a shared authorization-details file are attributed to the account of their ARN, not the folder; findings too', async () => {
    const raw = rawExport();
    expect(raw.principals.some((p) => accountOf(p.arn) !== p.folder), 'the fixture holds principals of another account than its folder').toBe(true);
    const r = await scanDir(EXPORT, '2026-11-20T00:00:00Z', 90);
    const byId = new Map(r.inventory.map((i) => [i.id, i]));
    for (const p of raw.principals) {
      expect(byId.get(p.arn)?.account, p.arn).toBe(accountOf(p.arn));
      expect(byId.get(p.arn)?.kind, p.arn).toBe(p.kind);
    }
    for (const f of r.findings.filter((x) => x.subject.arn?.startsWith('arn:aws:iam::'))) {
      expect(f.subject.account, `${f.detector} ${f.subject.id}`).toBe(accountOf(f.subject.arn!));
    }
    // the foreign account is a source account of its own, with its IAM snapshot time
    expect(r.run.iam_snapshots?.map((s) => s.account).sort()).toEqual([...new Set([...raw.principals, ...raw.report].map((p) => accountOf(p.arn)))].sort());
  });

  it('users known only from the credential report (root, users without authorization details) get inventory rows; every listed key is a credential of its user, in its account', async () => {
    const raw = rawExport();
    const r = await scanDir(EXPORT, '2026-11-20T00:00:00Z', 90);
    const byId = new Map(r.inventory.map((i) => [i.id, i]));
    for (const row of raw.report) {
      const item = byId.get(row.arn);
      expect(item, `credential report row ${row.user} (${row.arn})`).toBeDefined();
      expect(item?.account).toBe(accountOf(row.arn));
      expect(item?.kind).toBe(row.user === '<root_account>' ? 'root' : 'iam-user');
    }
    const roots = r.inventory.filter((i) => i.kind === 'root');
    expect(roots.map((i) => i.id).sort()).toEqual(raw.report.filter((x) => x.user === '<root_account>').map((x) => x.arn).sort());
    for (const root of roots) expect(root.classification).toBe('human');
    const userAccount = new Map(raw.report.map((x) => [`${x.folder}/${x.user}`, accountOf(x.arn)]));
    for (const k of raw.keys) {
      const item = byId.get(k.id);
      expect(item?.kind, k.id).toBe('access-key');
      expect(item?.account, k.id).toBe(userAccount.get(`${k.folder}/${k.user}`));
      expect(item?.parent_id, k.id).toBe(`arn:aws:iam::${userAccount.get(`${k.folder}/${k.user}`)}:user/${k.user}`);
    }
    // the key of a user without authorization details is judged like any other
    expect(r.findings.some((f) => f.detector === 'aws/long-lived-credential' && f.subject.id === 'AKIAFIXCIDEPLOYER001')).toBe(true);
  });

  it('an export with only credential reports and list-access-keys scans (was "nothing usable")', async () => {
    const dir = tempDir('shadowscan-report-only-');
    mkdirSync(join(dir, 'aws/iam'), { recursive: true });
    cpSync(join(IAM, '333333333333'), join(dir, 'aws/iam/333333333333'), { recursive: true });
    const r = await scanDir(dir, '2026-11-20T00:00:00Z', 90);
    expect(r.inventory.map((i) => `${i.kind} ${i.id}`).sort()).toEqual([
      'access-key AKIAFIXCIDEPLOYER001', 'iam-user arn:aws:iam::333333333333:user/ci-deployer', 'root arn:aws:iam::333333333333:root',
    ]);
    expect(r.findings.map((f) => f.detector)).toContain('aws/long-lived-credential');
  });
});
