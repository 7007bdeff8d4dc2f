import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/detect/loader.js';
import { loadActionCatalogue } from '../src/iam-policy/iam-actions.js';

const root = projectRoot();
const policy = (name: string) => JSON.parse(readFileSync(join(root, 'policies', name), 'utf8')) as { Statement: { Action: string | string[] }[] };
const actionsOf = (p: { Statement: { Action: string | string[] }[] }) => p.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** Every AWS API the collectors call, as the IAM action that authorises it. */
function calledActions(): string[] {
  const dir = join(root, 'src/connectors/aws');
  const out = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const prefixOf = new Map<string, string>();
    for (const m of text.matchAll(/import \{([^}]*)\} from '@aws-sdk\/client-([a-z0-9-]+)'/g)) {
      for (const name of m[1]!.split(',').map((s) => s.trim().replace(/^type\s+/, ''))) prefixOf.set(name, m[2]!);
    }
    for (const m of text.matchAll(/new (\w+)Command\(/g)) {
      const prefix = prefixOf.get(`${m[1]}Command`);
      if (!prefix) throw new Error(`${f}: ${m[1]}Command is not imported from an @aws-sdk client`);
      const api = m[1] === 'ListObjectsV2' ? 'ListBucket' : m[1]!;
      out.add(`${prefix}:${api}`);
    }
  }
  return [...out].sort();
}

describe('documented IAM policies', () => {
  it('grant every API the collectors call (GetCallerIdentity needs no permission)', () => {
    const granted = new Set([...actionsOf(policy('shadowscan-readonly.json')), ...actionsOf(policy('shadowscan-org-scanner.json'))]);
    const called = calledActions();
    expect(called.length).toBeGreaterThan(10);
    expect(called.filter((a) => a !== 'sts:GetCallerIdentity' && !granted.has(a))).toEqual([]);
    // …and nothing the collectors never call.
    expect([...granted].filter((a) => !called.includes(a))).toEqual([]);
  });

  it('the read-only policy is read-only: only List/Read actions (GenerateCredentialReport is AWS-classified Read)', async () => {
    const catalogue = await loadActionCatalogue();
    for (const a of actionsOf(policy('shadowscan-readonly.json'))) {
      const entry = catalogue.lookup(a);
      expect(entry, a).toBeDefined();
      expect(['List', 'Read'], a).toContain(entry!.accessLevel);
    }
    expect(catalogue.lookup('organizations:ListAccounts')?.accessLevel).toBe('List');
  });

  it('the member-role CloudFormation template grants exactly the read-only policy', () => {
    const yaml = readFileSync(join(root, 'policies/shadowscan-member-role.yaml'), 'utf8');
    const inTemplate = new Set([...yaml.matchAll(/(?:- |Action: )((?:iam|account|cloudtrail|s3):\w+)/g)].map((m) => m[1]));
    expect([...inTemplate].sort()).toEqual([...new Set(actionsOf(policy('shadowscan-readonly.json')))].sort());
  });
});
