import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CREDENTIAL_REPORT_COLUMNS } from '../store/load-iam.js';

/**
 * Detector fixtures: a compact JSON spec that materialises into the offline export layout, so
 * every detector's hit and miss cases are small, readable files (fixtures/detectors/<id>/{hit,miss}*.json).
 */
export interface FixtureSpec {
  description: string;
  as_of?: string;
  lookback?: string;
  accounts?: Record<string, {
    authorization_details?: unknown;
    access_keys?: { UserName: string; AccessKeyId: string; Status?: string; CreateDate: string }[];
    /** Rows of the credential report; missing columns are written as AWS writes absent values. */
    credential_report?: Record<string, string>[];
  }>;
  /** CloudTrail records; `{ repeat: { from, every_minutes, count }, record }` expands into many. */
  records?: (Record<string, unknown> | { repeat: { from: string; every_minutes: number; count: number }; record: Record<string, unknown> })[];
  /** For hit fixtures: subject ids the detector must report (all of them). */
  expect_subjects?: string[];
  /** For miss fixtures: subject ids the detector must not report (default: no finding at all). */
  forbid_subjects?: string[];
  /**
   * Extra files (GitHub bodies, registry, people roster, …) written relative to the export root:
   * a string is written as is (workflow YAML), any other JSON value as JSON (`github/<org>/repos.json`).
   */
  files?: Record<string, unknown>;
  /** Scan options naming files of `files`: `--people`, `--leaks`, detector `--param`s. */
  options?: { people?: string; leaks?: string[]; params?: Record<string, string> };
}

const NA_DEFAULTS: Record<string, string> = {
  password_enabled: 'false', mfa_active: 'false', access_key_1_active: 'false', access_key_2_active: 'false',
  cert_1_active: 'false', cert_2_active: 'false', password_next_rotation: 'N/A',
};

/** Read a fixture spec file. */
export function readFixture(file: string): FixtureSpec {
  return JSON.parse(readFileSync(file, 'utf8')) as FixtureSpec;
}

/** Expand `repeat` entries into concrete records (eventTime stepped, eventID made unique). */
export function expandRecords(spec: FixtureSpec): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let seq = 0;
  for (const r of spec.records ?? []) {
    if ('repeat' in r && r.repeat && typeof r.repeat === 'object') {
      const rep = r.repeat as { from: string; every_minutes: number; count: number };
      const start = new Date(rep.from).getTime();
      for (let i = 0; i < rep.count; i++) {
        const t = new Date(start + i * rep.every_minutes * 60_000).toISOString().replace('.000Z', 'Z');
        out.push({ ...(r.record as Record<string, unknown>), eventTime: t, eventID: `fx-${++seq}` });
      }
    } else {
      out.push({ eventID: `fx-${++seq}`, ...r });
    }
  }
  return out;
}

/** Write the spec as an offline export under `dir`; returns `dir`. */
export function materializeFixture(spec: FixtureSpec, dir: string): string {
  mkdirSync(join(dir, 'aws'), { recursive: true });
  for (const [account, a] of Object.entries(spec.accounts ?? {})) {
    const iamDir = join(dir, 'aws', 'iam', account);
    mkdirSync(iamDir, { recursive: true });
    if (a.authorization_details) writeFileSync(join(iamDir, 'get-account-authorization-details.json'), JSON.stringify(a.authorization_details, null, 1));
    if (a.access_keys) writeFileSync(join(iamDir, 'list-access-keys.json'), JSON.stringify({ AccessKeyMetadata: a.access_keys }, null, 1));
    if (a.credential_report) {
      const lines = [CREDENTIAL_REPORT_COLUMNS.join(',')];
      for (const row of a.credential_report) lines.push(CREDENTIAL_REPORT_COLUMNS.map((c) => row[c] ?? NA_DEFAULTS[c] ?? 'N/A').join(','));
      writeFileSync(join(iamDir, 'credential-report.csv'), lines.join('\n') + '\n');
    }
  }
  const records = expandRecords(spec);
  if (records.length > 0) {
    const byAccount = new Map<string, Record<string, unknown>[]>();
    for (const r of records) {
      const acct = String(r['recipientAccountId'] ?? (r['userIdentity'] as { accountId?: string } | undefined)?.accountId ?? '000000000000');
      const list = byAccount.get(acct) ?? [];
      list.push(r);
      byAccount.set(acct, list);
    }
    for (const [acct, recs] of byAccount) {
      const d = join(dir, 'aws', 'AWSLogs', acct, 'CloudTrail', 'us-east-1', '2026', '11', '01');
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, `${acct}_CloudTrail_us-east-1_fixture.json.gz`), gzipSync(JSON.stringify({ Records: recs })));
    }
  }
  for (const [rel, content] of Object.entries(spec.files ?? {})) {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 1));
  }
  return dir;
}
