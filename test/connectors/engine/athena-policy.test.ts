/** policies/shadowscan-athena.json grants exactly the Athena calls the engine makes, and only what the rollup needs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/detect/loader.js';
import { loadActionCatalogue } from '../../../src/iam-policy/iam-actions.js';

const root = projectRoot();
const policy = JSON.parse(readFileSync(join(root, 'policies/shadowscan-athena.json'), 'utf8')) as { Statement: { Action: string[]; Resource: string | string[] }[] };
const actions = policy.Statement.flatMap((s) => s.Action);

describe('Athena least-privilege policy', () => {
  it('grants every Athena API the engine calls and no other Athena action', () => {
    const src = readFileSync(join(root, 'src/connectors/engine/athena.ts'), 'utf8');
    const called = [...new Set([...src.matchAll(/new (\w+)Command\(/g)].map((m) => `athena:${m[1]}`))].sort();
    expect(called).toEqual(['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StartQueryExecution', 'athena:StopQueryExecution']);
    expect(actions.filter((a) => a.startsWith('athena:')).sort()).toEqual(called);
  });

  it('every action exists; nothing beyond reading the table and writing query results to one prefix', async () => {
    const catalogue = await loadActionCatalogue();
    for (const a of actions) expect(catalogue.lookup(a), a).toBeDefined();
    const writes = actions.filter((a) => ['Write', 'Permissions management', 'Tagging'].includes(catalogue.lookup(a)!.accessLevel) && !a.startsWith('athena:'));
    expect(writes.sort()).toEqual(['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject']);
    const putStatement = policy.Statement.find((s) => s.Action.includes('s3:PutObject'))!;
    expect(putStatement.Resource).toContain('arn:aws:s3:::YOUR-ATHENA-RESULTS-BUCKET/shadowscan/*');
    expect(policy.Statement.every((s) => s.Resource !== '*')).toBe(true);
  });

  it('the UNLOAD path\'s own S3 calls (manifest and Parquet download, deletion) are granted directly, on the result prefix only', () => {
    const src = readFileSync(join(root, 'src/connectors/engine/athena-unload.ts'), 'utf8');
    // DeleteObjects is authorised by s3:DeleteObject for each key
    const called = [...new Set([...src.matchAll(/new (\w+)Command\(/g)].map((m) => `s3:${m[1]!.replace(/^DeleteObjects$/, 'DeleteObject')}`))].sort();
    expect(called).toEqual(['s3:DeleteObject', 's3:GetObject']);
    const direct = policy.Statement.find((s) => s.Action.includes('s3:DeleteObject')) as { Action: string[]; Resource: string; Condition?: unknown };
    expect(direct.Action.sort()).toEqual(called);
    expect(direct.Condition).toBeUndefined();
    expect(direct.Resource).toBe('arn:aws:s3:::YOUR-ATHENA-RESULTS-BUCKET/shadowscan/*');
  });
});
