import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import pLimit from 'p-limit';
import { type Command, Option } from 'commander';
import { ExitCode, UsageError } from '../../kernel/errors.js';
import { loadDetectors } from '../../pipeline/pipeline.js';
import { builtinDetectorDir, loadDetectorDir, projectRoot, type Detector } from '../../detect/loader.js';
import { fixtureFiles, runFixture } from '../../pipeline/selftest.js';
import { collect } from './scan.js';
import { personText } from '../../terminal/print.js';

const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : s + '\n');
};

function find(detectors: Detector[], id: string): Detector {
  const d = detectors.find((x) => x.meta.id === id);
  if (!d) {
    const near = detectors.map((x) => x.meta.id).filter((x) => x.includes(id.split('/').pop() ?? id));
    throw new UsageError(`no detector "${id}"${near.length ? `; did you mean ${near.join(', ')}?` : ''} (shadowscan detectors list)`);
  }
  return d;
}

/** `detectors list`: the catalogue, one line per detector. */
export function listText(detectors: Detector[]): string {
  const rows = detectors.map((d) => [d.meta.id, d.meta.category, d.meta.severity, d.meta.title]);
  const w = [0, 1, 2].map((i) => Math.max(...[['ID', 'CATEGORY', 'SEVERITY'][i] ?? '', ...rows.map((r) => r[i] ?? '')].map((s) => s.length)));
  const line = (r: string[]): string => r.map((c, i) => (i < 3 ? c.padEnd(w[i] ?? 0) : c)).join('  ').trimEnd();
  return [line(['ID', 'CATEGORY', 'SEVERITY', 'TITLE']), ...rows.map(line)].join('\n') + '\n';
}

/** `detectors show ID`: everything a reviewer needs about one detector. */
export function showText(d: Detector): string {
  const m = d.meta;
  const o: string[] = [];
  o.push(`${m.id} — ${m.title}`, '');
  o.push(`category    ${m.category}`, `severity    ${m.severity} (default; findings may follow their subject)`, `confidence  ${m.confidence}`,
    `reads       ${m.requires.join(', ')}`, `file        ${d.file}`, '');
  o.push('Summary', `  ${m.summary}`, '', 'Why it matters', ...wrap(m.rationale, 100).map((l) => `  ${l}`), '');
  const params = Object.entries(m.params);
  o.push('Parameters' + (params.length ? ' (override: --param ' + m.id + '.NAME=VALUE, or params: in shadowscan.yaml)' : ''));
  if (params.length === 0) o.push('  none');
  for (const [name, p] of params) {
    o.push(`  ${name} (${p.type}) = ${Array.isArray(p.default) ? p.default.join(',') : String(p.default)}`);
    if (p.description) o.push(...wrap(p.description, 96).map((l) => `      ${l}`));
  }
  o.push('');
  if (m.false_positives.length) o.push('False positives', ...m.false_positives.map((f) => `  - ${f}`), '');
  o.push('Remediation', `  ${m.remediation.summary}`, ...m.remediation.steps.map((s, i) => `  ${i + 1}. ${s}`));
  const cli = m.remediation.cli === undefined ? [] : Array.isArray(m.remediation.cli) ? m.remediation.cli : [m.remediation.cli];
  if (cli.length) o.push('  commands:', ...cli.map((c) => `    ${c}`));
  o.push('');
  if (m.references.length) o.push('References', ...m.references.map((r) => `  ${r}`), '');
  o.push('Mappings', `  OWASP NHI     ${m.mappings.owasp_nhi.join(', ')}`, `  MITRE ATT&CK  ${m.mappings.mitre_attack.join(', ') || '—'}`);
  return o.join('\n') + '\n';
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}

interface ListFlags { detectors: string[]; format?: string }

/** `shadowscan detectors list|show|test`. */
export function register(program: Command): void {
  const cmd = program.command('detectors').description('the detector catalogue: list, show one, test your own against their fixtures');

  cmd.command('list')
    .description('list every detector: id, category, default severity, title')
    .option('--detectors <dir>', 'include detectors from a directory (repeatable)', collect, [])
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((flags: ListFlags) => {
      const detectors = loadDetectors(flags.detectors);
      if (flags.format === 'json') {
        out(JSON.stringify(detectors.map((d) => ({ id: d.meta.id, category: d.meta.category, severity: d.meta.severity, confidence: d.meta.confidence, title: d.meta.title })), null, 2));
      } else out(listText(detectors));
    });

  cmd.command('show')
    .description("one detector's rationale, parameters with defaults, remediation, references and mappings")
    .argument('<id>', 'detector id, e.g. aws/privilege-escalation')
    .option('--detectors <dir>', 'include detectors from a directory (repeatable)', collect, [])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((id: string, flags: ListFlags) => {
      const d = find(loadDetectors(flags.detectors), id);
      out(flags.format === 'json' ? JSON.stringify({ ...d.meta, file: d.file }, null, 2) : showText(d));
    });

  cmd.command('test')
    .description('validate the detectors in DIR and run each against its hit and miss fixtures (DIR/<id>/hit*.json, miss*.json)')
    .argument('[dir]', 'directory of your detectors (default: the built-in ones)')
    .option('--fixtures <dir>', 'root of the fixture folders (default: DIR itself; fixtures/detectors for the built-in ones)')
    .option('--only <id>', 'run the fixtures of one detector')
    .option('--jobs <n>', 'fixtures scanned at once (default: one per core); results print in the same order either way')
    .action(async (dir: string | undefined, flags: { fixtures?: string; only?: string; jobs?: string }) => {
      const jobs = flags.jobs === undefined ? Math.max(1, availableParallelism()) : Number(flags.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs ${flags.jobs}: a whole number of fixtures scanned at once, at least 1`);
      const root = dir ? resolve(dir) : builtinDetectorDir();
      const fixturesRoot = flags.fixtures ? resolve(flags.fixtures) : dir ? root : resolve(projectRoot(), 'fixtures', 'detectors');
      if (!existsSync(fixturesRoot)) {
        // The package ships the built-in detectors, not their fixtures (they are in the repository, fixtures/detectors/).
        throw new UsageError(flags.fixtures || dir
          ? `${flags.fixtures ? '--fixtures ' : ''}${fixturesRoot}: no such directory`
          : `the built-in detectors' fixtures are not in the installed package (they are in the repository, fixtures/detectors/): run \`shadowscan detectors test\` in a checkout, or give --fixtures DIR`);
      }
      const loads = loadDetectorDir(root);
      const bad = loads.filter((l) => !l.ok);
      for (const b of bad) if (!b.ok) process.stderr.write(personText(`invalid  ${b.file}: ${b.error}\n`));
      if (bad.length > 0) {
        process.exitCode = ExitCode.usage;
        return;
      }
      const extra = dir ? [root] : [];
      // A user's detectors run next to the built-in ones, so their ids must not collide (loadDetectors says so).
      if (dir) loadDetectors(extra);
      let failures = 0;
      // Each fixture is its own scan into its own in-memory database: several run at once (a scan of a small fixture
      // mostly waits on DuckDB's planning, one thread each), and their lines print in catalogue order as they finish.
      const limit = pLimit(jobs);
      const lines: Promise<{ ok: boolean; text: string }>[] = [];
      for (const l of loads) {
        if (!l.ok) continue;
        const id = l.detector.meta.id;
        if (flags.only && flags.only !== id) continue;
        const { hits, misses } = fixtureFiles(fixturesRoot, id);
        if (hits.length === 0 || misses.length === 0) {
          lines.push(Promise.resolve({ ok: false, text: `FAIL  ${id}: needs at least one hit*.json and one miss*.json in ${resolve(fixturesRoot, id)}` }));
          continue;
        }
        for (const [kind, files] of [['hit', hits], ['miss', misses]] as const) {
          for (const f of files) {
            lines.push(limit(async () => {
              const r = await runFixture(id, f, kind, extra);
              return { ok: r.ok, text: `${r.ok ? 'ok  ' : 'FAIL'}  ${id}  ${kind}  ${f}${r.ok ? '' : '\n      ' + r.problems.join('\n      ')}` };
            }));
          }
        }
      }
      for (const line of lines) {
        const { ok, text } = await line;
        if (!ok) failures++;
        out(text);
      }
      out(failures === 0 ? 'all fixtures pass' : `${failures} fixture(s) failed`);
      process.exitCode = failures === 0 ? ExitCode.ok : ExitCode.policy;
    });
}
