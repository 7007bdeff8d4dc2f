import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvField, renderCsv } from '../../reports/csv.js';
import { renderHtml } from '../../reports/html.js';
import { renderJsonl } from '../../reports/jsonl.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { ocsfFinding, renderOcsf } from '../../reports/ocsf.js';
import { pseudoPath, renderSarif } from '../../reports/sarif.js';
import { SEVERITY_OUTPUT } from '../../reports/severity.js';
import type { ReportContext } from '../../src/kernel/catalogue.js';
import type { Finding, ScanReport } from '../../src/kernel/types.js';
import { TOOL_VERSION } from '../../src/kernel/version.js';
import { projectRoot } from '../../src/detect/loader.js';
import { goldenContext, goldenReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/scan.js';

const root = projectRoot();
const schema = (name: string): object => JSON.parse(readFileSync(join(root, 'reports/schema', name), 'utf8'));

function compile(s: object) {
  const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  return ajv.compile(s);
}

let report: ScanReport;
let ctx: ReportContext;
beforeAll(async () => {
  report = await goldenReport();
  ctx = goldenContext(report);
});

/** A GitHub-side finding as the GitHub detectors emit it: evidence.location points at the workflow line. */
function githubFinding(base: Finding): Finding {
  return {
    ...base,
    id: 'ssf-00000000000000000001',
    detector: 'github/static-key-in-ci',
    category: 'static-key-in-ci',
    subject: { type: 'github-secret', id: 'acme/api:AWS_SECRET_ACCESS_KEY', arn: null, account: 'acme' },
    evidence: { location: { path: '.github/workflows/deploy.yml', line: 27, repo: 'acme/api' } },
  };
}

describe('SARIF 2.1.0', () => {
  it('validates against the official SARIF 2.1.0 schema (vendored at reports/schema/sarif-2.1.0.json)', () => {
    const validate = compile(schema('sarif-2.1.0.json'));
    const doc = JSON.parse(renderSarif(report, ctx));
    expect(validate(doc), JSON.stringify(validate.errors, null, 1)).toBe(true);
    // and the schema does reject a broken log
    const broken = structuredClone(doc);
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  it('has one rule per detector with help and security-severity, one result per finding pointing at its rule', () => {
    const doc = JSON.parse(renderSarif(report, ctx));
    const run = doc.runs[0];
    const rules = run.tool.driver.rules as { id: string; help: { text: string; markdown: string }; properties: Record<string, unknown> }[];
    expect(rules.map((r) => r.id)).toEqual(ctx.detectors.map((d) => d.id));
    const overbroad = rules.find((r) => r.id === 'aws/overbroad')!;
    const info = ctx.detectors.find((d) => d.id === 'aws/overbroad')!;
    expect(overbroad.help.text).toContain(info.rationale);
    expect(overbroad.help.markdown).toContain(info.remediation.summary);
    expect(overbroad.properties['security-severity']).toBe(SEVERITY_OUTPUT[info.severity].securitySeverity);
    expect(Number(overbroad.properties['security-severity'])).toBeGreaterThanOrEqual(7);
    expect(run.results).toHaveLength(report.findings.length);
    for (const [i, r] of (run.results as { ruleId: string; ruleIndex: number; partialFingerprints: Record<string, string> }[]).entries()) {
      expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(r.partialFingerprints['shadowscanFindingId/v1']).toBe(report.findings[i]!.id);
    }
  });

  it('AWS findings get a relative pseudo-file from the ARN and the ARN as logical location', () => {
    const doc = JSON.parse(renderSarif(report, ctx));
    const loc = doc.runs[0].results[0].locations[0];
    expect(loc.physicalLocation.artifactLocation.uri).toBe('aws/111122223333/iam/role/support-agent-runtime');
    expect(loc.logicalLocations[0].fullyQualifiedName).toBe('arn:aws:iam::111122223333:role/support-agent-runtime');
    const key = report.findings.find((f) => f.subject.type === 'access-key')!;
    expect(pseudoPath(key)).toBe('aws/111122223333/access-key/AKIAFIXTUREBOT000001');
  });

  it('GitHub findings point at the workflow file and line', () => {
    const withGh = { ...report, findings: [...report.findings, githubFinding(report.findings[0]!)] };
    const doc = JSON.parse(renderSarif(withGh, ctx));
    const last = doc.runs[0].results.at(-1);
    expect(last.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: '.github/workflows/deploy.yml', uriBaseId: '%SRCROOT%' }, region: { startLine: 27 } });
    expect(last.message.text).toContain('in acme/api/.github/workflows/deploy.yml:27');
    expect(last.properties.repository).toBe('acme/api');
    expect(doc.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'github/static-key-in-ci')).toBe(true);
    expect(compile(schema('sarif-2.1.0.json'))(doc)).toBe(true);
  });

  it('a GitHub finding without a file location gets a stable pseudo-path under github/', () => {
    const f = { ...githubFinding(report.findings[0]!), evidence: { location: null } };
    expect(pseudoPath(f)).toBe('github/acme/github-secret/acme%2Fapi%3AAWS_SECRET_ACCESS_KEY');
  });

  it("passes Microsoft's SARIF multitool validation, GitHub ingestion rules included, with no error or warning", () => {
    const require = createRequire(import.meta.url);
    let bin: string;
    try {
      bin = require('@microsoft/sarif-multitool');
      accessSync(bin, constants.X_OK);
    } catch {
      console.warn('skipped: @microsoft/sarif-multitool is not installed for this platform');
      return;
    }
    const dir = tempDir();
    const withGh = { ...report, findings: [...report.findings, githubFinding(report.findings[0]!)] };
    const file = join(dir, 'report.sarif');
    writeFileSync(file, renderSarif(withGh, ctx));
    const out = join(dir, 'validation.sarif');
    const r = spawnSync(bin, ['validate', file, '-o', out, '--rule-kind', 'Sarif', 'Gh', '--level', 'Error', 'Warning'], { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    const results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results as { ruleId: string; message: { text?: string } }[];
    expect(results.map((x) => `${x.ruleId}: ${x.message.text ?? ''}`)).toEqual([]);
  });
});

describe('OCSF Detection Finding', () => {
  it('every event validates against reports/schema/ocsf-detection-finding.schema.json', () => {
    const validate = compile(schema('ocsf-detection-finding.schema.json'));
    const events = JSON.parse(renderOcsf(report, ctx));
    expect(events).toHaveLength(report.findings.length);
    expect(validate(events), JSON.stringify(validate.errors, null, 1)).toBe(true);
    for (const activity of ['update', 'close'] as const) {
      expect(validate(ocsfFinding(report.findings[0]!, report.run, { activity }))).toBe(true);
    }
    const broken = structuredClone(events);
    broken[0].type_uid = 200403; // Create must be 200401
    expect(validate(broken)).toBe(false);
  });

  it('carries the fingerprint, severity, resource, remediation, product and both mappings', () => {
    const [e] = JSON.parse(renderOcsf(report, ctx));
    const f = report.findings[0]!;
    expect(e.finding_info.uid).toBe(f.id);
    expect(e.severity_id).toBe(5);
    expect(e.resources[0].uid).toBe(f.subject.arn);
    expect(e.resources[0].type).toBe('AWS::IAM::Role');
    expect(e.remediation.desc).toContain(f.remediation.summary);
    expect(e.metadata.product).toMatchObject({ name: 'shadowscan', version: TOOL_VERSION });
    expect(e.finding_info.attacks.map((a: { technique: { uid: string } }) => a.technique.uid)).toEqual(f.mitre_attack);
    expect(e.unmapped.owasp_nhi).toEqual(f.owasp_nhi);
    const closed = ocsfFinding(f, report.run, { activity: 'close' });
    expect(closed).toMatchObject({ activity_id: 3, type_uid: 200403, status_id: 4, is_alert: false });
  });
});

describe('JSONL and CSV', () => {
  it('JSONL has one parseable finding per line with the run id', () => {
    const lines = renderJsonl(report).trimEnd().split('\n');
    expect(lines).toHaveLength(report.findings.length);
    for (const [i, l] of lines.entries()) expect(JSON.parse(l)).toMatchObject({ run_id: report.run.id, id: report.findings[i]!.id });
  });

  it('CSV quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('two lines'); // control characters and line breaks from data are removed
    expect(csvField('\u001b]8;;https://evil.example\u0007=cmd')).toBe(' ]8;;https://evil.example =cmd');
    expect(csvField('\u0000=1+1')).toBe("' =1+1");
    expect(csvField('\t=1+1')).toBe("' =1+1");
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('CSV has one row per identity and round-trips through a strict parser', () => {
    const text = renderCsv(report);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]![0]).toBe('id');
    expect(rows.slice(1).map((r) => r[0])).toEqual(report.inventory.map((i) => i.id));
    for (const r of rows) expect(r).toHaveLength(rows[0]!.length);
  });

  it('every human-readable format shows when each account\'s IAM export was taken', () => {
    const snap = report.run.iam_snapshots?.[0];
    expect(snap, 'the golden scan loads an IAM export').toBeDefined();
    const line = `IAM snapshots: ${snap!.account} ${snap!.at}`;
    expect(renderMarkdown(report, ctx)).toContain(line);
    expect(renderHtml(report, ctx)).toContain(`<p class="meta">${line}</p>`);
    const none = { ...report, run: { ...report.run, iam_snapshots: [] } };
    expect(renderMarkdown(none, ctx)).not.toContain('IAM snapshots:');
    expect(renderHtml(none, ctx)).not.toContain('IAM snapshots:');
  });

  it('the tool version in reports equals package.json', () => {
    expect(TOOL_VERSION).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });
});

/** Minimal RFC 4180 parser (CRLF records, quoted fields with doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  return rows;
}

describe('hostile text from the scanned accounts (user agents, names) stays text', () => {
  const hostile = (r: ScanReport): ScanReport => {
    const x = structuredClone(r);
    const f = x.findings[0]!;
    f.reason = 'pwned <script>alert(1)</script>';
    f.evidence = { user_agents: ['``` <img src=x onerror=alert(1)> `'], note: '</code><script>alert(2)</script>' };
    x.inventory[0]!.name = '<svg onload=alert(3)>';
    return x;
  };

  it('HTML escapes it everywhere (no markup from data reaches the page)', () => {
    const html = renderHtml(hostile(report), ctx);
    expect(html).not.toMatch(/<script>alert|<img src=x|<svg onload/);
    expect(html).toContain('pwned &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('Markdown keeps it inside code spans it cannot close, and escapes it in prose', () => {
    const md = renderMarkdown(hostile(report), ctx);
    expect(md).toContain('pwned &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).toContain('- ```` user_agents: ``` <img src=x onerror=alert(1)> ` ````');
    expect(md).not.toMatch(/<svg onload/);
  });
});
