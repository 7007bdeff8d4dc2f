import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expandRecords, materializeFixture, readFixture, type FixtureSpec } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { tempDir } from './scan.js';

/** The built CLI (tests that need a real process: signals, kill -9, locks). Built once if missing. */
export function builtCli(): string {
  const bin = join(projectRoot(), 'dist/src/cli/main.js');
  if (!existsSync(bin)) {
    const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: projectRoot(), stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  return bin;
}

/** A running CLI process with its JSON log lines. */
export interface CliProcess {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  stderr: () => string;
  stdout: () => string;
  /** Resolve with the first log line (already seen or future) matching `pred`, at or after index `from`. */
  waitFor: (pred: (l: Record<string, unknown>) => boolean, timeoutMs?: number, from?: number) => Promise<Record<string, unknown>>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawn `node dist/src/cli/main.js ...args`. */
export function spawnCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [builtCli(), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let err = '';
  let out = '';
  let partial = '';
  const waiters: { pred: (l: Record<string, unknown>) => boolean; from: number; resolve: (l: Record<string, unknown>) => void }[] = [];
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      let parsed: Record<string, unknown>;
      try { parsed = JSON.parse(line) as Record<string, unknown>; } catch { continue; }
      logs.push(parsed);
      for (const w of [...waiters]) {
        if (logs.length - 1 >= w.from && w.pred(parsed)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(parsed); }
      }
    }
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const waitFor: CliProcess['waitFor'] = (pred, timeoutMs = 20_000, from = 0) => {
    const seen = logs.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for a log line; stderr so far:\n${err.slice(-3000)}`)), timeoutMs);
      waiters.push({ pred, from, resolve: (l) => { clearTimeout(t); resolve(l); } });
      void exit.then(() => setTimeout(() => reject(new Error(`process exited before the log line; stderr:\n${err.slice(-3000)}`)), 50));
    });
  };
  return { child, logs, stderr: () => err, stdout: () => out, waitFor, exit };
}

/** The static-key-automation hit fixture: an IAM export, and its CloudTrail records as a separate file to add later. */
export function daemonFixture(): { dir: string; addTrailFile: (name?: string) => string; records: number } {
  const spec: FixtureSpec = readFixture(join(projectRoot(), 'fixtures/detectors/aws/static-key-automation/hit.json'));
  const dir = materializeFixture({ ...spec, records: [] }, tempDir('shadowscan-daemon-'));
  const records = expandRecords(spec);
  const addTrailFile = (name = 'agent-activity'): string => {
    const d = join(dir, 'aws/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/10');
    mkdirSync(d, { recursive: true });
    const p = join(d, `111122223333_CloudTrail_us-east-1_${name}.json.gz`);
    writeFileSync(p, gzipSync(JSON.stringify({ Records: records })));
    return p;
  };
  return { dir, addTrailFile, records: records.length };
}

/** A quiet CloudTrail file (one read call by a person in the console), so the export is never empty. */
export function addQuietFile(dir: string): void {
  const d = join(dir, 'aws/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/09');
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, '111122223333_CloudTrail_us-east-1_quiet.json.gz'), gzipSync(JSON.stringify({ Records: [{
    eventVersion: '1.09', eventTime: '2026-11-09T10:00:00Z', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity',
    awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
    eventID: 'quiet-1', readOnly: true, eventType: 'AwsApiCall', recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAALICE', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
  }] })));
}

/** Parse Prometheus text exposition format strictly enough to catch malformed output. */
export function parsePrometheus(text: string): { samples: { name: string; labels: Record<string, string>; value: number }[]; types: Map<string, string> } {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  const types = new Map<string, string>();
  const helps = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (m) {
      if (m[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(m[3] as string)) throw new Error(`bad TYPE line: ${line}`);
        types.set(m[2] as string, m[3] as string);
      } else helps.add(m[2] as string);
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
      let pos = 0;
      while (pos < m[2].length) {
        re.lastIndex = pos;
        const lm = re.exec(m[2]);
        if (!lm) throw new Error(`bad labels: ${m[2]}`);
        labels[lm[1] as string] = (lm[2] as string).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        pos = re.lastIndex;
      }
    }
    const name = m[1] as string;
    if (!types.has(name) || !helps.has(name)) throw new Error(`sample ${name} without HELP/TYPE`);
    samples.push({ name, labels, value: Number(m[3]) });
  }
  return { samples, types };
}
