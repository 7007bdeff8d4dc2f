import type { ReportContext } from '../src/kernel/catalogue.js';
import { severityRank, type Finding, type ScanReport } from '../src/kernel/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../src/kernel/version.js';
import { escapeXml as esc, humanTime, reportCharts, trendCharts } from './charts.js';
import { SEVERITY_OUTPUT } from './severity.js';
import { evidenceLines, iamSnapshotsLine, ownerLabel, recordCountsLine, subjectLabel, suggestedPolicy, summarize } from './summary.js';

const CSS = `
:root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#f9fafb;--card:#fff;--accent:#7c3aed}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#111827;color:#f9fafb;padding:20px 32px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:#d1d5db;font-size:13px}
main{max-width:1200px;margin:0 auto;padding:24px 32px}h2{margin:32px 0 12px;font-size:18px;border-bottom:1px solid var(--line);padding-bottom:6px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:150px}
.card .n{font-size:26px;font-weight:700}.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.charts{display:flex;flex-wrap:wrap;gap:16px;margin-top:16px}.charts figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px}
.risk{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin-bottom:12px}.risk h3{margin:0 0 4px;font-size:15px}
.meta{color:var(--muted);font-size:12px;word-break:break-all}.finding{border-top:1px solid var(--line);margin-top:8px;padding-top:8px}
.sev{display:inline-block;border-radius:4px;padding:1px 7px;color:#fff;font-size:11px;font-weight:600;text-transform:uppercase}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}pre{background:#f3f4f6;border-radius:6px;padding:8px 10px;overflow-x:auto;white-space:pre-wrap}
ul.ev{margin:4px 0;padding-left:18px}ul.ev li{word-break:break-word}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line)}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f3f4f6;font-size:12px;cursor:pointer;user-select:none;white-space:nowrap}td.num,th.num{text-align:right}td .meta{display:block}
.tools{display:flex;gap:8px;margin-bottom:8px}.tools input,.tools select{padding:6px 8px;border:1px solid var(--line);border-radius:6px;font:inherit}
.gaps li{margin-bottom:4px}.ok{color:#059669}footer{color:var(--muted);font-size:12px;padding:24px 32px;text-align:center}
.charts figure{min-width:0;max-width:100%}.charts svg{display:block;max-width:100%;height:auto}.chart-phone{display:none}
.scroll{max-width:100%;overflow-x:auto}td{overflow-wrap:anywhere}td code{overflow-wrap:anywhere}
details.section>summary,details.risk-d>summary{cursor:pointer;font-weight:600}details.section>summary{font-size:14px;margin:4px 0 10px}
details.risk-d>summary{list-style:none}details.risk-d>summary::-webkit-details-marker{display:none}
details.risk-d>summary h3::before{content:"▸ ";color:var(--muted)}details.risk-d[open]>summary h3::before{content:"▾ "}
.policy pre{max-height:320px;overflow:auto}
@media (max-width:700px){main{padding:16px 12px}header{padding:16px 12px}.card{min-width:0;flex:1 1 40%}
  .chart-wide{display:none}.chart-phone{display:block}
  #inventory .c-kind,#inventory .c-account,#inventory .c-last{display:none}#findings-table .c-owasp{display:none}}
`;

const JS = `
(function(){
  var table=document.getElementById('inventory');if(!table)return;
  var body=table.tBodies[0];var q=document.getElementById('inv-filter');var cls=document.getElementById('inv-class');
  function apply(){var t=(q.value||'').toLowerCase();var c=cls.value;var shown=0;
    Array.prototype.forEach.call(body.rows,function(r){var ok=(!t||r.textContent.toLowerCase().indexOf(t)>=0)&&(!c||r.getAttribute('data-class')===c);r.style.display=ok?'':'none';if(ok)shown++;});
    document.getElementById('inv-count').textContent=shown+' of '+body.rows.length;}
  q.addEventListener('input',apply);cls.addEventListener('change',apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){
    var num=th.classList.contains('num');var dir=th.getAttribute('data-dir')==='asc'?'desc':'asc';th.setAttribute('data-dir',dir);
    var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-v')||a.cells[i].textContent;var y=b.cells[i].getAttribute('data-v')||b.cells[i].textContent;
      var d=num?(Number(x)-Number(y)):x.localeCompare(y);return dir==='asc'?d:-d;});rows.forEach(function(r){body.appendChild(r);});});});
  apply();
})();
`;

function sevBadge(s: Finding['severity']): string {
  return `<span class="sev" style="background:${SEVERITY_OUTPUT[s].color}">${esc(s)}</span>`;
}

function findingHtml(f: Finding): string {
  const ev = evidenceLines(f.evidence, 10);
  const policy = suggestedPolicy(f);
  return `<div class="finding">${sevBadge(f.severity)} <code>${esc(f.detector)}</code> ${esc(f.reason)}`
    + `<div><strong>Next steps:</strong> ${esc(f.remediation.summary)}</div>`
    + (f.remediation.steps.length > 0 ? `<ol>${f.remediation.steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>` : '')
    + (f.remediation.commands.length > 0 ? `<pre>${esc(f.remediation.commands.join('\n'))}</pre>` : '')
    + (policy ? `<details class="policy" open><summary>Suggested least-privilege policy (from the calls it made)</summary><pre>${esc(policy)}</pre></details>` : '')
    + (ev.length > 0 ? `<details><summary>Evidence</summary><ul class="ev">${ev.map((e) => `<li><code>${esc(e)}</code></li>`).join('')}</ul></details>` : '')
    + `<div class="meta">OWASP ${esc(f.owasp_nhi.join(', '))}${f.mitre_attack.length > 0 ? ` · ATT&amp;CK ${esc(f.mitre_attack.join(', '))}` : ''} · first seen ${esc(humanTime(f.first_seen))} · last seen ${esc(humanTime(f.last_seen))} · id ${esc(f.id)}</div></div>`;
}

/** A section that folds when long (its summary says what is inside), open when short. */
function section(id: string, title: string, rows: number, body: string, foldAbove = 20): string {
  return `<section id="${id}"><h2>${esc(title)}</h2><details class="section"${rows > foldAbove ? '' : ' open'}><summary>${rows > foldAbove ? `Show all ${rows}` : `${rows} shown`}</summary>${body}</details></section>`;
}

/**
 * One self-contained HTML file (inline CSS, JS and SVG; a Content-Security-Policy that forbids any network
 * load): summary cards and charts, top risks with evidence and next steps, the full inventory (filter and
 * sort), every finding, coverage gaps.
 */
export function renderHtml(report: ScanReport, ctx: ReportContext): string {
  const { run } = report;
  const s = summarize(report);
  const agents = s.byClassification.find((c) => c.key === 'agent')?.count ?? 0;
  const urgent = report.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length;
  const cards = [
    ['identities', report.inventory.length], ['AI agents', agents], ['findings', report.findings.length],
    ['critical + high', urgent], ['coverage gaps', run.coverage_gaps.length],
  ].map(([l, n]) => `<div class="card"><div class="n">${n}</div><div class="l">${esc(String(l))}</div></div>`).join('');
  const charts = [...reportCharts(s, ctx.history), ...trendCharts(ctx.trends ?? [])].map((c) => `<figure id="${c.id}"><div class="chart-wide">${c.svg}</div><div class="chart-phone">${c.phone}</div></figure>`).join('');

  const risks = s.topRisks.map((r, n) => {
    const title = r.identity ? r.identity.name : subjectLabel(r.findings[0]!);
    const meta = r.identity
      ? `${esc(r.identity.arn)} · ${esc(r.identity.kind)} · ${esc(r.identity.classification)} (${esc(r.identity.confidence)}) · account ${esc(r.identity.account)} · owner: ${esc(ownerLabel(r.identity))} · last used: ${esc(r.identity.last_used_at ? humanTime(r.identity.last_used_at) : 'never seen')}`
      : '';
    // The first three risks open; the rest fold to their title line (the page stays short enough to scan).
    return `<details class="risk risk-d"${n < 3 ? ' open' : ''}><summary><h3>${n + 1}. ${esc(title)} <span class="meta">risk ${r.score} · ${r.findings.length} finding(s): ${esc([...new Set(r.findings.map((f) => f.category))].join(', '))}</span></h3></summary><div class="meta">${meta}</div>${r.findings.map(findingHtml).join('')}</details>`;
  }).join('') || '<p class="ok">No findings.</p>';

  const inventoryRows = [...report.inventory].sort((a, b) => b.risk_score - a.risk_score || a.id.localeCompare(b.id)).map((i) =>
    `<tr data-class="${esc(i.classification)}"><td>${esc(i.name)}<span class="meta">${esc(i.arn)}</span></td><td class="c-kind">${esc(i.kind)}</td><td class="c-account">${esc(i.account)}</td>`
    + `<td>${esc(i.classification)} <span class="meta">${esc(i.confidence)}</span></td><td>${esc(ownerLabel(i))}</td><td class="c-last" data-v="${esc(i.last_used_at ?? '')}">${esc(humanTime(i.last_used_at))}</td>`
    + `<td class="num" data-v="${i.risk_score}">${i.risk_score}</td><td class="num" data-v="${i.finding_ids.length}">${i.finding_ids.length}</td></tr>`).join('');

  const findingRows = report.findings.map((f) =>
    `<tr><td data-v="${4 - severityRank(f.severity)}">${sevBadge(f.severity)}</td><td><code>${esc(f.detector)}</code></td><td>${esc(subjectLabel(f))}</td><td>${esc(f.reason)}</td><td class="c-owasp">${esc(f.owasp_nhi.join(', '))}</td></tr>`).join('');

  const gaps = run.coverage_gaps.length === 0
    ? '<p class="ok">None: every source was read.</p>'
    : `<ul class="gaps">${run.coverage_gaps.map((g) => `<li><code>${esc(g.source)}</code>: ${esc(g.detail)}</li>`).join('')}</ul>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>shadowscan report — ${esc(humanTime(run.as_of))}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>shadowscan report</h1><p>As of <time datetime="${esc(run.as_of)}">${esc(humanTime(run.as_of))}</time> · lookback ${esc(run.lookback)} · run ${esc(run.id)} · ${run.counts.cloudtrail_records} CloudTrail records in ${run.counts.cloudtrail_files} files</p><p class="meta">${esc(recordCountsLine(run.counts))}</p>${iamSnapshotsLine(run) ? `<p class="meta">${esc(iamSnapshotsLine(run) ?? '')}</p>` : ''}</header>
<main>
<section id="summary"><h2>Summary</h2><div class="cards">${cards}</div><div class="charts">${charts}</div></section>
<section id="top-risks"><h2>Top risks</h2>${risks}</section>
${section('inventory-section', 'Inventory', report.inventory.length, `<div class="tools"><input id="inv-filter" type="search" placeholder="Filter identities…" aria-label="Filter identities"><select id="inv-class" aria-label="Classification"><option value="">all classifications</option>${s.byClassification.map((c) => `<option value="${esc(c.key)}">${esc(c.key)} (${c.count})</option>`).join('')}</select><span id="inv-count" class="meta"></span></div>
<div class="scroll"><table id="inventory"><thead><tr><th>identity</th><th class="c-kind">kind</th><th class="c-account">account</th><th>classification</th><th>owner</th><th class="c-last">last used</th><th class="num">risk</th><th class="num">findings</th></tr></thead><tbody>${inventoryRows}</tbody></table></div>`)}
${report.findings.length === 0 ? '<section id="findings"><h2>All findings</h2><p class="ok">None.</p></section>' : section('findings', 'All findings', report.findings.length, `<div class="scroll"><table id="findings-table"><thead><tr><th>severity</th><th>detector</th><th>subject</th><th>reason</th><th class="c-owasp">OWASP NHI</th></tr></thead><tbody>${findingRows}</tbody></table></div>`)}
<section id="coverage"><h2>Coverage gaps</h2>${gaps}</section>
</main>
<footer>${esc(TOOL_NAME)} ${esc(TOOL_VERSION)} · sources: ${esc(run.sources.join('; ') || 'none')}</footer>
<script>${JS}</script>
</body>
</html>
`;
}
