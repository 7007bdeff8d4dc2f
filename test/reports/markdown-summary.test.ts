import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html.js';
import { GITHUB_COMMENT_LIMIT, renderMarkdown, renderMarkdownSummary } from '../../reports/markdown.js';
import type { ScanReport } from '../../src/kernel/types.js';
import { projectRoot } from '../../src/detect/loader.js';
import { goldenContext } from '../helpers/reports.js';

const demo = (): ScanReport => JSON.parse(readFileSync(join(projectRoot(), 'test/golden/demo/report.json'), 'utf8')) as ScanReport;

describe('Markdown for pull requests: md-summary fits a GitHub comment, md is the full report', () => {
  it('the demo: the full Markdown is over the 65,536-character comment limit, the summary is under it and keeps the top risks', () => {
    const r = demo();
    const ctx = goldenContext(r);
    const full = renderMarkdown(r, ctx);
    const summary = renderMarkdownSummary(r, ctx);
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(summary.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(summary).toContain('### 1. ');
    expect(summary).toMatch(/\| critical \| \d+ \|/);
    expect(summary).toContain('shadowscan report --format md');
  });

  it('a report 40 times the demo still fits, and says how many findings it left out', () => {
    const r = demo();
    const many: ScanReport = { ...r, findings: Array.from({ length: 40 }, (_, k) => r.findings.map((f) => ({ ...f, id: `${f.id}-${k}`, subject: { ...f.subject, id: `${f.subject.id}-${k}` } }))).flat() };
    const summary = renderMarkdownSummary(many, goldenContext(many));
    expect(summary.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(summary).toMatch(/_\d+ more finding\(s\) not shown here\._/);
  });

  it('HTML and Markdown show the least-privilege policy where the finding is, not only "see evidence.suggested_policy"', () => {
    const r = demo();
    const f = r.findings.find((x) => x.detector === 'aws/overbroad' && x.evidence['suggested_policy'])!;
    expect(f).toBeDefined();
    const policy = JSON.stringify(f.evidence['suggested_policy'], null, 2);
    const firstAction = /"Action": \[\s*"([^"]+)"/.exec(policy)?.[1] ?? /"Action": "([^"]+)"/.exec(policy)?.[1];
    expect(firstAction).toBeTruthy();
    const html = renderHtml(r, goldenContext(r));
    expect(html).toContain('Suggested least-privilege policy');
    expect(html).toContain(`&quot;${firstAction}&quot;`);
    const md = renderMarkdown(r, goldenContext(r));
    const at = md.indexOf('Suggested least-privilege policy');
    expect(at).toBeGreaterThan(0);
    expect(md.slice(at, at + 4000)).toContain(`"${firstAction}"`);
  });
});
