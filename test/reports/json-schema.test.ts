import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../reports/json.js';
import { readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { scanFixture } from '../helpers/scan.js';

const schema = JSON.parse(readFileSync(join(projectRoot(), 'reports/schema/report.schema.json'), 'utf8'));

function validator() {
  const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  return ajv.compile(schema);
}

describe('JSON report contract', () => {
  it('a real scan validates against the published schema', async () => {
    const report = await scanFixture(readFixture(join(projectRoot(), 'fixtures/detectors/aws/overbroad/hit.json')));
    const doc = JSON.parse(renderJson(report));
    const validate = validator();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.findings.length).toBeGreaterThan(0);
  });

  it('the schema rejects a report missing required fields or with an unknown category', async () => {
    const report = await scanFixture(readFixture(join(projectRoot(), 'fixtures/detectors/aws/overbroad/hit.json')));
    const validate = validator();
    const broken = JSON.parse(renderJson(report));
    delete broken.run.counts;
    expect(validate(broken)).toBe(false);
    const badCategory = JSON.parse(renderJson(report));
    badCategory.findings[0].category = 'made-up';
    expect(validate(badCategory)).toBe(false);
  });

  it('finding ids are stable fingerprints across runs', async () => {
    const spec = readFixture(join(projectRoot(), 'fixtures/detectors/aws/overbroad/hit.json'));
    const a = await scanFixture(spec);
    const b = await scanFixture(spec);
    expect(a.run.id).not.toBe(b.run.id);
    expect(a.findings.map((f) => f.id)).toEqual(b.findings.map((f) => f.id));
  });
});
