import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, ScanReport } from '../../src/kernel/types.js';
import { projectRoot } from '../../src/detect/loader.js';
import { PLANTED } from '../../tools/demo/planted.js';
import { KEYS } from '../../tools/demo/world.js';
import { scanDir } from '../helpers/scan.js';

// One finding per leaked key, with every source that saw it, in the scan a person runs first: `npm start`.
// The flags are read from package.json, so this follows the start script wherever it goes.
const root = projectRoot();
const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start'] ?? '';
const args = start.split(/\s+/);
const values = (flag: string): string[] => args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1] as string] : []));
const file = (f: string): string => join(root, f);

let report: ScanReport;
beforeAll(async () => {
  const [from] = values('--from');
  const [asOf] = values('--as-of');
  const [people] = values('--people');
  const [registry] = values('--registry');
  const [exceptions] = values('--exceptions');
  if (!from || !asOf) throw new Error(`npm start lost --from/--as-of: ${start}`);
  report = await scanDir(file(from), asOf, 90, {
    leakFiles: values('--leaks').map(file),
    ...(people ? { peopleFile: file(people) } : {}),
    ...(registry ? { registryFile: file(registry) } : {}),
    ...(exceptions ? { exceptionsFile: file(exceptions) } : {}),
  });
}, 120_000);

/** The access key a leaked-credential finding is about (its subject, or the key an alert names). */
const keyOf = (f: Finding): string => (f.subject.type === 'access-key' ? f.subject.id : String(f.evidence['key_id'] ?? f.subject.id));
const leakedFindings = (): Finding[] => report.findings.filter((f) => f.category === 'leaked-credential');

describe('leaked keys in the npm start scan', () => {
  it('imports leak reports, as npm start does', () => {
    expect(values('--leaks').length).toBeGreaterThan(0);
  });

  it('reports each leaked key exactly once, and every planted leaked key', () => {
    const leaked = leakedFindings();
    const perKey = new Map<string, string[]>();
    for (const f of leaked) perKey.set(keyOf(f), [...(perKey.get(keyOf(f)) ?? []), f.detector]);
    for (const [key, detectors] of perKey) expect(detectors, `findings for leaked key ${key}`).toHaveLength(1);
    const planted = PLANTED.filter((p) => p.expect.includes('leaked-credential')).flatMap((p) => p.keys);
    expect([...perKey.keys()].sort()).toEqual([...planted].sort());
  });

  it("merges the sources: leaked-bot's one finding has AWS's quarantine and GitHub's secret-scanning alert", () => {
    const f = leakedFindings().filter((x) => keyOf(x) === KEYS.leakedBot);
    expect(f.map((x) => x.detector)).toEqual(['aws/leaked-credential']);
    const ev = f[0]!.evidence as { quarantine_policies: string[]; secret_scanning_alerts: { repo: string; alert_number: number; location: string }[] };
    expect(ev.quarantine_policies).toEqual(['AWSCompromisedKeyQuarantineV3']);
    expect(ev.secret_scanning_alerts).toEqual([expect.objectContaining({ repo: 'example/web', alert_number: 14, location: 'scripts/backfill_etl.py:8' })]);
    expect(f[0]!.reason).toContain('GitHub secret scanning alert example/web#14');
    expect(f[0]!.severity).toBe('critical');
  });

  it('keeps the --leaks report items next to the connector data (data-pipeline-bot from the imported alert file)', () => {
    const f = leakedFindings().filter((x) => keyOf(x) === KEYS.dataPipeline);
    expect(f).toHaveLength(1);
    expect((f[0]!.evidence['leak_reports'] as { tool: string }[]).map((x) => x.tool)).toContain('github-secret-scanning');
  });
});
