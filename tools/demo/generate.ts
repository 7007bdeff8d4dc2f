/**
 * Demo org generator: writes a fictional two-account AWS org (CloudTrail org trail, a
 * LookupEvents export, IAM exports, README) in the offline layout shadowscan reads. Deterministic:
 * the same options give the same bytes (seeded PRNG, time pinned to --as-of). Streams: each day's calls are
 * spilled to disk by hour as they are generated, so memory holds one hour of one region, not a day (10M: 683 MB peak RSS).
 *
 *   node dist/tools/demo/generate.js --out DIR [--records N] [--seed S] [--as-of ISO] [--days D]
 */
import { once } from 'node:events';
import { appendFileSync, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { ACTORS, SPECIALS, type Actor, type DayCtx, type Special } from './actors.js';
import { toLookupEvent, toRecord, type Call } from './cloudtrail.js';
import { authorizationDetails, cliJson, credentialReport, emptyUsage, listAccessKeys, listServiceSpecificCredentials, type ExportStyle, type UsageStats } from './iam-export.js';
import { Rng } from './rand.js';
import { README_MARKER, renderReadme } from './readme.js';
import { DAY, dayPath, fileStamp, HOUR, isoZ, isWeekend, MINUTE, parseInstant } from './time.js';
import { writeGithubDemo } from './github.js';
import { DEV, DEV_REGIONS, iamModel, leakReports, ORG_ID, PEOPLE, PROD, PROD_REGIONS, timeline } from './world.js';

const gzip = promisify(gzipCallback);

/** Options of generateDemo (defaults in brackets). */
export interface DemoOptions {
  /** Output directory (created if missing). */
  out: string;
  /** Target number of CloudTrail records, trail + LookupEvents [20000]. Small values are raised to the story's floor (~7k). */
  records?: number;
  /** PRNG seed [`shadowscan`]. */
  seed?: string;
  /** As-of instant, ISO-8601 [`2026-11-20T00:00:00Z`]. */
  asOf?: string;
  /** Days of CloudTrail before as-of [21]. */
  days?: number;
  /** Maximum records per trail file [700]. */
  recordsPerFile?: number;
  /** gzip level of trail files [6]. */
  gzipLevel?: number;
  /** Write into a non-empty directory that is not a previous demo (only aws/, github/, leaks/, README.md and people.txt are replaced) [false]. */
  force?: boolean;
}

/** What was written. */
export interface DemoSummary {
  out: string;
  seed: string;
  asOf: string;
  records: number;
  trailRecords: number;
  trailFiles: number;
  lookupEvents: number;
  /** Bytes written, all files. */
  bytes: number;
}

export const DEFAULTS = { records: 20_000, seed: 'shadowscan', asOf: '2026-11-20T00:00:00Z', days: 21, recordsPerFile: 700, gzipLevel: 6 } as const;

/** Invalid options or an output directory we must not overwrite. */
export class DemoOptionsError extends Error {
  override name = 'DemoOptionsError';
}

/** Generate the demo org into `opts.out`. */
export async function generateDemo(opts: DemoOptions): Promise<DemoSummary> {
  const records = opts.records ?? DEFAULTS.records;
  const seed = opts.seed ?? DEFAULTS.seed;
  const asOfText = opts.asOf ?? DEFAULTS.asOf;
  const days = opts.days ?? DEFAULTS.days;
  const perFile = opts.recordsPerFile ?? DEFAULTS.recordsPerFile;
  const level = opts.gzipLevel ?? DEFAULTS.gzipLevel;
  if (!Number.isInteger(records) || records < 0) throw new DemoOptionsError(`--records must be a non-negative integer, got ${records}`);
  if (!Number.isInteger(days) || days < 1 || days > 90) throw new DemoOptionsError(`--days must be an integer from 1 to 90, got ${days}`);
  if (!Number.isInteger(perFile) || perFile < 1) throw new DemoOptionsError(`records per file must be a positive integer, got ${perFile}`);
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new DemoOptionsError(`gzip level must be 0-9, got ${level}`);
  let asOf: number;
  try {
    asOf = parseInstant(asOfText);
  } catch (e) {
    throw new DemoOptionsError(`--as-of: ${(e as Error).message}`, { cause: e });
  }
  if (asOf % DAY !== 0) throw new DemoOptionsError(`--as-of must be midnight UTC (e.g. 2026-11-20T00:00:00Z), got ${asOfText}`);

  const out = resolve(opts.out);
  await prepareOut(out, opts.force ?? false);

  const tl = timeline(asOf, days);
  const ctxs = Array.from({ length: days }, (_, i): DayCtx => {
    const day = tl.start + i * DAY;
    return { seed, day, index: i, weekend: isWeekend(day), tl };
  });
  const rates = planRates(ctxs, records);
  const usage = emptyUsage();
  let bytes = 0;
  let trailRecords = 0;
  let trailFiles = 0;
  let lookupEvents = 0;
  let lookupBytes = 0;
  let wroteEvent = false;

  // Each day's calls are spilled to disk by region and hour as they are generated, then read back an hour at a
  // time in time order: memory holds one hour of one region, not a day (10M records: 683 MB peak RSS, was 1.75 GB).
  // The bytes written are those of sorting the whole day in memory.
  const spillDir = mkdtempSync(join(tmpdir(), 'shadowscan-demo-spill-'));
  try {
    // --- prod: organization trail, one folder per region and day, ≤ perFile records per file ----
    const trailRoot = join(out, 'aws', 'AWSLogs', ORG_ID, PROD, 'CloudTrail');
    const writer = new FileWriter(4);
    for (const d of ctxs) {
      const spill = new DaySpill(spillDir, d.day, true);
      dayCalls(d, PROD, rates, (c) => spill.add(c));
      spill.flush();
      for (const region of PROD_REGIONS) {
        const total = spill.count(region);
        if (total === 0) continue;
        const nFiles = Math.ceil(total / perFile);
        const size = Math.ceil(total / nFiles);
        const dir = join(trailRoot, region, dayPath(d.day));
        await mkdir(dir, { recursive: true });
        let f = 0;
        const writeChunk = async (chunk: Call[]): Promise<void> => {
          const rng = new Rng(`${seed}|trail|${region}|${d.index}|${f}`);
          const parts = chunk.map((c) => {
            track(usage, c, PROD);
            return JSON.stringify(toRecord(c, PROD, rng));
          });
          const last = chunk[chunk.length - 1]?.t ?? d.day;
          const stamp = Math.min(Math.floor(last / (5 * MINUTE)) * 5 * MINUTE + 5 * MINUTE, d.day + DAY - 5 * MINUTE);
          const name = `${PROD}_CloudTrail_${region}_${fileStamp(stamp)}_${rng.alnum(16)}.json.gz`;
          const body = `{"Records":[${parts.join(',')}]}`;
          await writer.add(async () => {
            const gz = await gzip(body, { level });
            await writeFile(join(dir, name), gz);
            return gz.length;
          });
          trailRecords += chunk.length;
          trailFiles++;
          f++;
        };
        let chunk: Call[] = [];
        for (const c of spill.read(region)) {
          chunk.push(c);
          if (chunk.length === size) {
            await writeChunk(chunk);
            chunk = [];
          }
        }
        if (chunk.length > 0) await writeChunk(chunk);
      }
      spill.clear();
    }
    bytes += await writer.drain();

    // --- dev: no trail; `aws cloudtrail lookup-events` output (management events, newest first) ---
    const lookupPath = join(out, 'aws', `lookup-events-${DEV}-${DEV_REGIONS[0]}.json`);
    const lookup = createWriteStream(lookupPath);
    const write = async (text: string): Promise<void> => {
      lookupBytes += Buffer.byteLength(text);
      if (!lookup.write(text)) await once(lookup, 'drain');
    };
    await write('{\n    "Events": [\n');
    for (const d of [...ctxs].reverse()) {
      // Records are drawn oldest first (the day's random stream), written newest first: each hour's texts,
      // newest first, go to a file of their own, and the hours are then copied newest first.
      const spill = new DaySpill(spillDir, d.day, false);
      dayCalls(d, DEV, rates, (c) => {
        if (!c.data) spill.add(c);
      });
      spill.flush();
      const rng = new Rng(`${seed}|lookup|${d.index}`);
      const hours: string[] = [];
      for (const [hour, calls] of spill.hours('')) {
        const texts = calls.map((c) => {
          track(usage, c, DEV);
          const rec = toRecord(c, DEV, rng);
          const ev = toLookupEvent(rec, JSON.stringify(rec));
          return JSON.stringify(ev, null, 4).replace(/^/gm, '        ');
        });
        texts.reverse();
        const file = join(spillDir, `lookup-${hour}.txt`);
        writeFileSync(file, texts.join(',\n'));
        hours.push(file);
        lookupEvents += texts.length;
      }
      for (const file of hours.reverse()) {
        await write((wroteEvent ? ',\n' : '') + readFileSync(file, 'utf8'));
        wroteEvent = true;
        rmSync(file);
      }
      spill.clear();
    }
    await write('\n    ]\n}\n');
    lookup.end();
    await once(lookup, 'finish');
    bytes += lookupBytes;
  } finally {
    rmSync(spillDir, { recursive: true, force: true });
  }

  // --- IAM exports (after CloudTrail, so last-used values match the records) -------------------
  const model = iamModel(tl);
  const styles: Record<string, ExportStyle> = { [PROD]: { policyDocs: 'object', dates: 'offset' }, [DEV]: { policyDocs: 'url', dates: 'z' } };
  const roots: Record<string, { created: number; lastSignIn: number | null }> = {
    [PROD]: { created: asOf - 980 * DAY + 11 * 3600_000, lastSignIn: asOf - 63 * DAY + 15 * 3600_000 + 7 * 60_000 },
    [DEV]: { created: asOf - 700 * DAY + 9 * 3600_000, lastSignIn: null },
  };
  for (const account of [PROD, DEV]) {
    const dir = join(out, 'aws', 'iam', account);
    await mkdir(dir, { recursive: true });
    const style = styles[account] as ExportStyle;
    const root = roots[account] as { created: number; lastSignIn: number | null };
    const files: [string, string][] = [
      ['get-account-authorization-details.json', cliJson(authorizationDetails(model, account, usage, style))],
      ['credential-report.csv', credentialReport(model, account, usage, root.created, root.lastSignIn)],
      ['list-access-keys.json', cliJson(listAccessKeys(model, account, style))],
      ['list-service-specific-credentials.json', cliJson(listServiceSpecificCredentials(model, account, style))],
    ];
    for (const [name, text] of files) {
      await writeFile(join(dir, name), text);
      bytes += Buffer.byteLength(text);
    }
  }

  // --- GitHub: org `example` (REST bodies and workflow files, tools/demo/github.ts) ---
  bytes += await writeGithubDemo(out, asOf);

  const readme = renderReadme({
    seed, records, asOf: asOfText, start: isoZ(tl.start), days, trailRecords, trailFiles, lookupEvents,
  });
  await writeFile(join(out, 'README.md'), readme);
  bytes += Buffer.byteLength(readme);
  const people = `# people who work here at ${asOfText} (shadowscan scan --people); one email per line\n${PEOPLE.join('\n')}\n`;
  await writeFile(join(out, 'people.txt'), people);
  bytes += Buffer.byteLength(people);
  const leaks = leakReports(tl);
  await mkdir(join(out, 'leaks'), { recursive: true });
  for (const [name, value] of [['gitleaks.json', leaks.gitleaks], ['github-secret-scanning-alerts.json', leaks.githubAlerts]] as const) {
    const text = JSON.stringify(value, null, 2) + '\n';
    await writeFile(join(out, 'leaks', name), text);
    bytes += Buffer.byteLength(text);
  }

  return { out, seed, asOf: asOfText, records: trailRecords + lookupEvents, trailRecords, trailFiles, lookupEvents, bytes };
}

// ------------------------------------------------------------------------------------------------

function tickRng(a: Actor, d: DayCtx): Rng {
  return new Rng(`${d.seed}|${a.id}|${d.index}|ticks`);
}

/**
 * Calls per tick for each actor: its floor plus its share of what is left of the target after
 * floors and the fixed story events. Counting ticks is cheap (no calls are built).
 */
function planRates(ctxs: DayCtx[], target: number): Map<string, number> {
  const ticks = new Map<string, number>();
  let fixed = 0;
  for (const d of ctxs) {
    for (const a of ACTORS) ticks.set(a.id, (ticks.get(a.id) ?? 0) + a.ticks(d, tickRng(a, d)).length);
    for (const s of SPECIALS) {
      const out: Call[] = [];
      s.run(d, specialRng(s, d), out);
      fixed += out.length;
    }
  }
  for (const a of ACTORS) fixed += a.floor * (ticks.get(a.id) ?? 0);
  const background = allocate(ACTORS, Math.max(0, target - fixed));
  const rates = new Map<string, number>();
  for (const a of ACTORS) {
    const n = ticks.get(a.id) ?? 0;
    rates.set(a.id, a.floor + (n > 0 ? (background.get(a.id) ?? 0) / n : 0));
  }
  return rates;
}

/**
 * Split `pool` background calls by share, but give every actor at least its minimum (so each
 * identity stays visible at tiny targets); the minimums are taken out of the pool first.
 */
function allocate(actors: readonly Actor[], pool: number): Map<string, number> {
  const pinned = new Set<string>();
  for (;;) {
    const free = actors.filter((a) => !pinned.has(a.id));
    const freeShare = free.reduce((s, a) => s + a.share, 0);
    const left = pool - actors.filter((a) => pinned.has(a.id)).reduce((s, a) => s + (a.minTotal ?? 40), 0);
    const under = free.filter((a) => freeShare <= 0 || left <= 0 || (a.share / freeShare) * left < (a.minTotal ?? 40));
    if (under.length === 0 || free.length === 0) {
      return new Map(actors.map((a) => [a.id, pinned.has(a.id) ? a.minTotal ?? 40 : (a.share / freeShare) * left]));
    }
    for (const a of under) pinned.add(a.id);
  }
}

function specialRng(s: Special, d: DayCtx): Rng {
  return new Rng(`${d.seed}|${s.id}|${d.index}|special`);
}

/**
 * Every call of one account on one day, handed to `sink` in generation order (actor by actor, then the story's
 * specials); DaySpill puts them in time order (ties keep generation order).
 */
function dayCalls(d: DayCtx, account: string, rates: Map<string, number>, sink: (c: Call) => void): void {
  const regions: readonly string[] = account === PROD ? PROD_REGIONS : DEV_REGIONS;
  const out: Call[] = [];
  const drain = (): void => {
    for (const c of out) {
      if (!regions.includes(c.region)) throw new Error(`bug: ${c.op} for ${account} in unexpected region ${c.region}`);
      if (c.t < d.tl.start || c.t >= d.tl.asOf) throw new Error(`bug: ${c.op} at ${isoZ(c.t)} outside the window`);
      sink(c);
    }
    out.length = 0;
  };
  for (const a of ACTORS) {
    if (a.account !== account) continue;
    const rate = rates.get(a.id) ?? 0;
    const rng = new Rng(`${d.seed}|${a.id}|${d.index}|emit`);
    for (const tick of a.ticks(d, tickRng(a, d))) {
      a.emit(d, tick, Math.max(a.floor, rng.round(rate)), rng, out);
      drain();
    }
  }
  for (const s of SPECIALS) {
    if (s.account !== account) continue;
    s.run(d, specialRng(s, d), out);
    drain();
  }
}

/**
 * One day's calls on disk, one file per hour (and region, when `byRegion`), as JSON lines `[seq, call]`
 * buffered in memory up to a few MB; read back an hour at a time, sorted by time, then by generation order
 * (`seq`): the order a stable sort of the whole day by time gives. Calls are plain JSON data (numbers, strings,
 * objects), so they read back equal.
 */
class DaySpill {
  private buffers = new Map<string, string[]>();
  private buffered = 0;
  private seq = 0;
  private readonly counts = new Map<string, number>();
  private readonly files = new Set<string>();

  constructor(private readonly dir: string, private readonly day: number, private readonly byRegion: boolean) {}

  add(c: Call): void {
    const region = this.byRegion ? c.region : '';
    const hour = Math.min(23, Math.max(0, Math.floor((c.t - this.day) / HOUR)));
    const key = `${region}.${String(hour).padStart(2, '0')}`;
    const line = JSON.stringify([this.seq++, c]);
    let buf = this.buffers.get(key);
    if (!buf) this.buffers.set(key, (buf = []));
    buf.push(line);
    this.buffered += line.length;
    this.counts.set(region, (this.counts.get(region) ?? 0) + 1);
    if (this.buffered > 8_000_000) this.flush();
  }

  flush(): void {
    for (const [key, lines] of this.buffers) {
      const file = join(this.dir, `${key}.jsonl`);
      appendFileSync(file, lines.join('\n') + '\n');
      this.files.add(file);
    }
    this.buffers.clear();
    this.buffered = 0;
  }

  count(region: string): number {
    return this.counts.get(region) ?? 0;
  }

  /** The calls of `region` ('' when not by region), hour by hour, each hour sorted. */
  *hours(region: string): Generator<[number, Call[]]> {
    for (let h = 0; h < 24; h++) {
      const file = join(this.dir, `${region}.${String(h).padStart(2, '0')}.jsonl`);
      if (!this.files.has(file)) continue;
      const rows = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as [number, Call]);
      rows.sort((x, y) => x[1].t - y[1].t || x[0] - y[0]);
      yield [h, rows.map((r) => r[1])];
    }
  }

  *read(region: string): Generator<Call> {
    for (const [, calls] of this.hours(region)) yield* calls;
  }

  clear(): void {
    for (const f of this.files) rmSync(f, { force: true });
    this.files.clear();
    this.counts.clear();
  }
}

/** Record what IAM would know afterwards: key last used, role last used, password last used. */
function track(u: UsageStats, c: Call, account: string): void {
  const who = c.who;
  const key = who['accessKeyId'];
  if (typeof key === 'string' && key.startsWith('AKIA')) {
    const prev = u.keys.get(key);
    if (!prev || prev.t <= c.t) u.keys.set(key, { t: c.t, region: c.region, service: serviceNamespace(c.src) });
  }
  if (who['type'] === 'AssumedRole') {
    const issuer = (who['sessionContext'] as { sessionIssuer?: { arn?: string } } | undefined)?.sessionIssuer?.arn;
    if (issuer) {
      const prev = u.roles.get(issuer);
      if (!prev || prev.t <= c.t) u.roles.set(issuer, { t: c.t, region: c.region });
    }
  }
  if (c.op === 'ConsoleLogin' && typeof who['userName'] === 'string') {
    const k = `${account}/${who['userName']}`;
    u.passwords.set(k, Math.max(u.passwords.get(k) ?? 0, c.t));
  }
}

function serviceNamespace(eventSource: string): string {
  const s = eventSource.replace('.amazonaws.com', '');
  return s === 'monitoring' ? 'cloudwatch' : s;
}

/** A small queue of concurrent async writes (gzip runs on the libuv pool, in parallel). */
class FileWriter {
  private pending: Promise<number>[] = [];
  private total = 0;
  constructor(private readonly limit: number) {}

  async add(job: () => Promise<number>): Promise<void> {
    this.pending.push(job());
    while (this.pending.length >= this.limit) this.total += await (this.pending.shift() as Promise<number>);
  }

  async drain(): Promise<number> {
    for (const p of this.pending) this.total += await p;
    this.pending = [];
    return this.total;
  }
}

/** Files in the demo directory that are not generated and survive regeneration. */
export const DEMO_COMPANIONS: readonly string[] = ['registry.yaml', 'exceptions.yaml'];

/** Refuse to clobber a directory that is not a previous demo, unless forced. */
async function prepareOut(out: string, force: boolean): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(out, { recursive: true });
    return;
  }
  // Hand-written companions committed next to the demo (registry, exceptions) are kept, and alone do not make the directory "not a demo".
  if (entries.filter((e) => !e.startsWith('.') && !DEMO_COMPANIONS.includes(e)).length > 0) {
    const readme = await readFile(join(out, 'README.md'), 'utf8').catch(() => '');
    if (!readme.startsWith(README_MARKER) && !force) {
      throw new DemoOptionsError(`${out} is not empty and is not a shadowscan demo; choose an empty directory or pass --force (replaces only aws/, github/, leaks/, README.md and people.txt)`);
    }
  }
  await rm(join(out, 'aws'), { recursive: true, force: true });
  await rm(join(out, 'github'), { recursive: true, force: true });
  await rm(join(out, 'README.md'), { force: true });
  await rm(join(out, 'people.txt'), { force: true });
  await rm(join(out, 'leaks'), { recursive: true, force: true });
}

// ------------------------------------------------------------------------------------------------
// CLI

const USAGE = `usage: node dist/tools/demo/generate.js --out DIR [--records N] [--seed S] [--as-of ISO] [--days D] [--force]

  --out DIR       output directory (required)
  --records N     target CloudTrail records, trail + LookupEvents (default ${DEFAULTS.records})
  --seed S        PRNG seed (default ${DEFAULTS.seed})
  --as-of ISO     end of the window, midnight UTC (default ${DEFAULTS.asOf})
  --days D        days of CloudTrail before --as-of (default ${DEFAULTS.days})
  --force         write into a non-empty directory that is not a previous demo`;

/** Parse argv and run; returns the process exit code (0 ok, 2 usage or input error). */
export async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' }, records: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' },
        days: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values['help']) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof values['out'] !== 'string') {
    process.stderr.write(`--out is required\n${USAGE}\n`);
    return 2;
  }
  const int = (name: string): number | undefined => {
    const v = values[name];
    if (typeof v !== 'string') return undefined;
    if (!/^\d+$/.test(v.replaceAll('_', ''))) throw new DemoOptionsError(`--${name} must be a whole number, got ${v}`);
    return Number(v.replaceAll('_', ''));
  };
  const started = performance.now();
  try {
    const opts: DemoOptions = { out: values['out'], force: values['force'] === true };
    const records = int('records');
    const days = int('days');
    if (records !== undefined) opts.records = records;
    if (days !== undefined) opts.days = days;
    if (typeof values['seed'] === 'string') opts.seed = values['seed'];
    if (typeof values['as-of'] === 'string') opts.asOf = values['as-of'];
    const s = await generateDemo(opts);
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `wrote ${s.out}: ${s.records.toLocaleString('en-US')} records (${s.trailRecords.toLocaleString('en-US')} in ${s.trailFiles} trail files, ` +
      `${s.lookupEvents.toLocaleString('en-US')} lookup events), ${(s.bytes / 1e6).toFixed(1)} MB in ${secs} s\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof DemoOptionsError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (e: unknown) => {
    process.stderr.write(`demo generation failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
