import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../src/pipeline/pipeline.js';
import { projectRoot } from '../../src/detect/loader.js';
import { Store } from '../../src/store/db.js';
import { trendSeries } from '../../src/store/trends.js';
import { cli } from '../helpers/cli.js';
import { addQuietFile, daemonFixture } from '../helpers/daemon.js';
import { tempDir } from '../helpers/scan.js';

const scan = (from: string, dbPath: string) => runScan({
  from, dbPath, asOf: new Date('2026-11-20T00:00:00Z'), lookbackSeconds: 90 * 86400, lookbackText: '90d',
});

describe('trends over stored runs', () => {
  it('counts identities, agents, findings by severity and OWASP NHI risk per run; report json carries them, html charts them', async () => {
    const fx = daemonFixture();
    addQuietFile(fx.dir);
    const db = join(tempDir(), 'trends.duckdb');
    const first = await scan(fx.dir, db);
    fx.addTrailFile();
    const second = await scan(fx.dir, db);

    const store = await Store.open(db);
    let trends;
    try {
      trends = await trendSeries(store);
      expect(await trendSeries(store, first.run.id)).toHaveLength(1);
    } finally {
      store.close();
    }
    expect(trends.map((t) => t.run_id)).toEqual([first.run.id, second.run.id]);
    const count = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    expect(count(trends[0]!.findings_by_severity)).toBe(first.findings.length);
    expect(count(trends[1]!.findings_by_severity)).toBe(second.findings.length);
    expect(count(trends[1]!.identities_by_classification)).toBe(second.inventory.length);
    // The key driven by boto3 + LangChain is an agent in the second run only.
    const agents = second.inventory.filter((i) => i.classification === 'agent').length;
    expect(agents).toBeGreaterThan(0);
    expect(count(trends[1]!.agents_by_registry_status)).toBe(agents);
    expect(trends[1]!.identities_by_classification['agent']).toBe(agents);
    const owasp = second.findings.flatMap((f) => f.owasp_nhi);
    for (const risk of new Set(owasp)) expect(trends[1]!.findings_by_owasp_nhi[risk]).toBe(owasp.filter((r) => r === risk).length);

    const json = await cli('report', '--db', db, '--format', 'json');
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out);
    expect(doc.trends).toEqual(trends);
    const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
    (addFormats as unknown as typeof addFormats.default)(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(projectRoot(), 'reports/schema/report.schema.json'), 'utf8')));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);

    const html = await cli('report', '--db', db, '--format', 'html');
    expect(html.code).toBe(0);
    for (const id of ['chart-trend-classification', 'chart-trend-registry', 'chart-trend-severity', 'chart-trend-owasp']) expect(html.out).toContain(`id="${id}"`);
    expect(html.out).toContain('Findings by severity over time');
  });
});
