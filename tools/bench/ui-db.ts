/**
 * A stored run of any size for the terminal UI (its tests and its first-frame benchmark): runs, run_inventory,
 * run_findings, coverage_gaps and run_identity_summary rows, deterministic from a seed. The bodies are the
 * contract types, so the UI reads them exactly as it reads a real scan.
 *
 *   node dist/tools/bench/ui-db.js --out FILE [--identities 5000] [--findings 20000]
 */
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { TIMESTAMP, jsToDuckDBValue } from '@duckdb/node-api';
import { type Category, type Classification, type Finding, type InventoryItem, type Severity } from '../../src/kernel/types.js';
import { Rng, stableB32 } from '../demo/rand.js';
import { Store } from '../../src/store/db.js';
import { persistUiRows, type IdentitySummary } from '../../src/store/run-summary.js';

/** Options of the generated run. */
export interface UiDbOptions {
  /** Identities (IAM users, roles and their access keys) (default 5,000). */
  identities?: number;
  /** Findings spread over them (default 20,000). */
  findings?: number;
  /** Run id (default "run-ui-bench"). */
  runId?: string;
  /** Seed (default "ui"). */
  seed?: string;
}

const CLASS_MIX: Classification[] = ['workload', 'workload', 'workload', 'agent', 'human', 'aws-service', 'unknown'];
const FINDING_KINDS: { detector: string; category: Category; severity: Severity; title: string }[] = [
  { detector: 'aws/overbroad', category: 'overbroad', severity: 'high', title: 'Non-human identity with administrator or service-wide permissions' },
  { detector: 'aws/static-key-automation', category: 'static-key-automation', severity: 'high', title: 'Long-lived access key used by software, not a person' },
  { detector: 'aws/ownerless', category: 'ownerless', severity: 'medium', title: 'Non-human identity without a declared owner' },
  { detector: 'aws/stale', category: 'stale', severity: 'low', title: 'Identity unused in the window' },
  { detector: 'aws/privilege-escalation', category: 'privilege-escalation', severity: 'critical', title: 'Identity can escalate its own privileges' },
  { detector: 'aws/unregistered', category: 'unregistered', severity: 'info', title: 'Agent not in the registry' },
];
const WORDS = ['billing', 'support', 'etl', 'deploy', 'ingest', 'report', 'triage', 'search', 'sync', 'backup', 'ml', 'chat'];

/** Write one generated run into `store`; returns its run id. */
export async function generateUiRun(store: Store, opts: UiDbOptions = {}): Promise<string> {
  const nIdentities = opts.identities ?? 5000;
  const nFindings = opts.findings ?? 20000;
  const runId = opts.runId ?? 'run-ui-bench';
  const rng = new Rng(opts.seed ?? 'ui');
  const asOf = new Date('2026-11-20T00:00:00Z');
  const accounts = ['111122223333', '444455556666', '777788889999'];
  const items: InventoryItem[] = [];
  for (let i = 0; items.length < nIdentities; i++) {
    const account = accounts[i % accounts.length] as string;
    const cls = CLASS_MIX[rng.int(0, CLASS_MIX.length - 1)] as Classification;
    const word = WORDS[rng.int(0, WORDS.length - 1)] as string;
    const isUser = cls === 'human' || (cls !== 'aws-service' && rng.chance(0.3));
    const name = `${word}-${cls === 'agent' ? 'agent' : cls === 'human' ? 'person' : 'svc'}-${String(i).padStart(5, '0')}`;
    const arn = `arn:aws:iam::${account}:${isUser ? 'user' : 'role'}/${cls === 'aws-service' ? 'aws-service-role/' : ''}${name}`;
    const tagged = rng.chance(0.4);
    items.push({
      id: arn, provider: 'aws', account, kind: isUser ? 'iam-user' : 'iam-role', name, arn, classification: cls,
      confidence: rng.chance(0.5) ? 'high' : 'medium',
      evidence: [{ signal: `${cls}: ${cls === 'agent' ? 'LLM API calls' : 'SDK user agent'}`, detail: `${rng.int(1, 900)} calls` }],
      owner: tagged ? { value: `team-${word}@example.com`, source: 'tag', tag: 'owner' } : { value: rng.chance(0.5) ? `creator-${word}` : null, source: rng.chance(0.5) ? 'creator' : 'none' },
      created_at: new Date(asOf.getTime() - rng.int(1, 900) * 86400_000).toISOString(),
      creator: null, last_used_at: new Date(asOf.getTime() - rng.int(0, 60) * 86400_000).toISOString(),
      risk_score: 0, risk_reasons: [], finding_ids: [], parent_id: null,
    });
    if (isUser && items.length < nIdentities && rng.chance(0.5)) {
      const key = `AKIA${stableB32(`${runId}:${i}`, 16)}`;
      items.push({
        id: key, provider: 'aws', account, kind: 'access-key', name: `${key} (${name})`, arn, classification: cls, confidence: 'medium',
        evidence: [], owner: { value: null, source: 'none' }, created_at: new Date(asOf.getTime() - rng.int(30, 900) * 86400_000).toISOString(),
        creator: null, last_used_at: null, risk_score: 0, risk_reasons: [], finding_ids: [], parent_id: arn,
      });
    }
  }
  const findings: Finding[] = [];
  for (let n = 0; n < nFindings; n++) {
    // Skewed: a few identities carry many findings, most carry few or none (as in real accounts).
    const item = items[Math.floor(rng.next() ** 2 * items.length)] as InventoryItem;
    const k = FINDING_KINDS[n % FINDING_KINDS.length] as (typeof FINDING_KINDS)[number];
    const id = `${k.detector}:${item.id}:${n}`;
    findings.push({
      id, detector: k.detector, category: k.category, severity: k.severity, confidence: 'high', title: k.title,
      subject: { type: item.kind, id: item.id, arn: item.arn, account: item.account },
      reason: `${item.name} (${item.classification}): ${k.title.toLowerCase()}`,
      evidence: { calls_in_window: rng.int(0, 5000), granted_action_count: 120, unused_share: 0.9, broad_grants: ['s3:* via AmazonS3FullAccess'] },
      remediation: { summary: 'Scope it down.', steps: ['Review the evidence.'], commands: [`aws iam list-attached-role-policies --role-name ${item.name}`] },
      owasp_nhi: ['NHI5:2025'], mitre_attack: ['T1078.004'], first_seen: null, last_seen: null,
    });
    item.finding_ids.push(id);
    item.risk_score = Math.min(100, item.risk_score + { critical: 35, high: 20, medium: 10, low: 4, info: 1 }[k.severity]);
  }
  const gaps = [{ source: 'aws/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/broken.json.gz', detail: 'not gzip' }];
  await store.transaction(async () => {
    await store.run(`INSERT INTO runs (id, started_at, finished_at, as_of, lookback, sources, counts, status) VALUES ($id, $s, $s, $a, '90d', $src, $c, 'ok')`, {
      id: runId, s: jsToDuckDBValue(asOf, TIMESTAMP), a: jsToDuckDBValue(asOf, TIMESTAMP), src: JSON.stringify(['generated']),
      c: JSON.stringify({ cloudtrail_records: 0, cloudtrail_files: 0, identities: items.length, findings: findings.length }),
    });
    await store.append('run_inventory', ['run_id', 'identity_id', 'classification', 'body'], items.map((i) => [runId, i.id, i.classification, JSON.stringify(i)]));
    await store.append('run_findings', ['run_id', 'finding_id', 'detector', 'category', 'severity', 'subject_id', 'body'],
      findings.map((f) => [runId, f.id, f.detector, f.category, f.severity, f.subject.id, JSON.stringify(f)]));
    await store.append('coverage_gaps', ['run_id', 'source', 'detail'], gaps.map((g) => [runId, g.source, g.detail]));
    await store.append('run_identity_summary', ['run_id', 'identity_id', 'body'], items.filter((i) => i.kind !== 'access-key').map((i) => {
      const body: IdentitySummary = {
        grants: { actions: 120, services: 3, by_level: [{ level: 'Read', actions: 80 }, { level: 'Write', actions: 40 }], policies: ['AmazonS3FullAccess'], wildcards: ['s3:* via AmazonS3FullAccess'], used_granted: 12, unused_share: 0.9 },
        activity: { calls: 1000, denied_calls: 0, first_seen: '2026-11-01T00:00:00.000Z', last_seen: '2026-11-19T00:00:00.000Z', active_days: 19, services: ['s3'], actions_used: 12, sample_actions: ['s3:GetObject'], ua_families: ['boto3'], source_ips: 2, llm_calls: 0, console_logins: 0 },
      };
      return [runId, i.id, JSON.stringify(body)];
    }));
    await persistUiRows(store, runId);
  });
  return runId;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const out = arg('--out', '');
  if (!out) {
    process.stderr.write('usage: node dist/tools/bench/ui-db.js --out FILE [--identities N] [--findings N]\n');
    process.exit(2);
  }
  if (existsSync(out)) rmSync(out);
  const store = await Store.open(out);
  const runId = await generateUiRun(store, { identities: Number(arg('--identities', '5000')), findings: Number(arg('--findings', '20000')) });
  store.close();
  process.stderr.write(`wrote run ${runId} to ${out}\n`);
}
