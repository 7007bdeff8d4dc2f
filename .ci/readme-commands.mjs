// Every shell command in README.md works as written on a fresh machine: extract the ```bash blocks, install the
// package the way the README's "Install" section says (in a fresh clone, global prefix in a scratch directory), and
// run each offline command in order — repository commands in the clone, `shadowscan …` commands in a user's
// directory seeded with a copy of the demo export. Commands that need AWS or GitHub credentials, a long-running daemon,
// an interactive terminal or minutes of benchmark CPU are listed as skipped, with the reason. Exit 1 on any failure.
//
//   node .ci/readme-commands.mjs [--keep]       (--keep leaves the scratch directory for a look)
//
// The clone is of the committed HEAD (CI checks a fresh clone of main; commit before running it locally).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');

/** Shell commands of the README, one per logical line (backslash continuations joined), with their line numbers. */
export function extractCommands(markdown) {
  const lines = markdown.split('\n');
  const out = [];
  let inBlock = false;
  let skipBlock = null;
  let pendingSkip = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const marker = /^<!--\s*readme-check:\s*skip\s+(.*?)\s*-->/.exec(line);
    if (marker) { pendingSkip = marker[1]; continue; }
    if (!inBlock && /^```(bash|sh|shell)\s*$/.test(line)) { inBlock = true; skipBlock = pendingSkip; pendingSkip = null; continue; }
    if (!inBlock && /^```/.test(line)) { pendingSkip = null; continue; }
    if (inBlock && /^```\s*$/.test(line)) { inBlock = false; skipBlock = null; continue; }
    if (!inBlock) continue;
    let text = line;
    const start = i + 1;
    while (/\\\s*$/.test(text) && i + 1 < lines.length) text = text.replace(/\\\s*$/, ' ') + lines[++i].trim();
    const cmd = stripComment(text).trim();
    if (cmd) out.push({ line: start, cmd, blockSkip: skipBlock });
  }
  return out;
}

/** Drop a trailing `# comment` (a `#` after whitespace, outside quotes). */
function stripComment(text) {
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) return text.slice(0, i);
  }
  return text;
}

/** Why a command is not run here, or null to run it. */
function skipReason(c) {
  if (c.blockSkip) return c.blockSkip;
  const s = c.cmd;
  if (/^git clone https?:/.test(s)) return 'network: the check clones the local repository instead';
  if (/^aws\s|\baws (sts|iam|s3|cloudtrail|cloudformation)\b/.test(s)) return 'needs AWS credentials';
  if (/--aws-profile|--cloudtrail-api|--cloudtrail-bucket|--org\b|--github-org|GITHUB_TOKEN|GH_TOKEN/.test(s)) return 'live collection: needs AWS or GitHub credentials';
  if (/--athena-|--trino\b/.test(s)) return 'a remote query engine (Athena needs AWS; the Trino URL is an example host; test/ covers both against local servers)';
  if (/^npm run realworld\b/.test(s)) return 'the public real-world corpus: minutes of CPU; its test runs in the suite';
  if (/^shadowscan ui\b/.test(s)) return 'interactive terminal (test/ui/tmux.test.ts drives it in tmux)';
  if (/^shadowscan registry add\b/.test(s) && !/--what|--dry-run/.test(s)) return 'asks its questions on a terminal (the next command gives the same answers as flags)';
  if (/^shadowscan daemon\b/.test(s)) return 'long-running daemon (test/daemon/*)';
  if (/^npm test\b|^bash \.ci\/run\b/.test(s)) return 'the test suite: CI runs it itself, on Node 20 and 22';
  if (/^npm run bench|dist\/src\/bench\/|^node dist\/tools\//.test(s)) return 'benchmark: minutes of CPU, run by hand';
  return null;
}

/** Exit codes the README documents for a command (1 = the gate found something). */
function allowedExit(cmd) {
  return /--fail-on|registry check/.test(cmd) ? [0, 1] : [0];
}

/** Repository commands run in the clone; everything else where a user keeps their export. */
function inClone(cmd) {
  return /^(npm|node|bash|git)\b|^cd shadowscan\b/.test(cmd);
}

function sh(cmd, cwd, env, timeoutMs = 600_000) {
  return spawnSync('bash', ['-c', cmd], { cwd, env, input: '', encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
}

const commands = extractCommands(readFileSync(join(root, 'README.md'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'shadowscan-readme-'));
const clone = join(scratch, 'shadowscan');
const user = join(scratch, 'work');
const prefix = join(scratch, 'prefix');
const env = {
  ...process.env,
  npm_config_prefix: prefix, // `npm install --global` lands here, not in the machine's global prefix
  PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
  NO_COLOR: '1',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};
delete env.GITHUB_TOKEN;
delete env.GH_TOKEN;

// The user's files: the demo export and the demo's registry, roster and leak reports, as the README's commands name them.
mkdirSync(user, { recursive: true });
mkdirSync(prefix, { recursive: true });
cpSync(join(root, 'fixtures/demo'), join(user, 'export'), { recursive: true });
for (const f of ['registry.yaml', 'people.txt', 'exceptions.yaml']) cpSync(join(root, 'fixtures/demo', f), join(user, f));
cpSync(join(root, 'fixtures/demo/leaks/gitleaks.json'), join(user, 'gitleaks.json'));
// TruffleHog --json output (JSON Lines) for one demo key; no secret value (the Raw field holds only the key id here).
writeFileSync(join(user, 'trufflehog.jsonl'), JSON.stringify({
  SourceMetadata: { Data: { Git: { repository: 'https://github.com/example/etl', file: 'deploy/.env', commit: '0f1e2d3c', timestamp: '2026-11-01 10:00:00 +0000', line: 3 } } },
  SourceName: 'trufflehog - git', DetectorName: 'AWS', Verified: true, Raw: 'AKIAPGETLLEGACYA37DE',
}) + '\n');
writeFileSync(join(user, 'shadowscan.yaml'), 'lookback: 60d\nparams:\n  aws/stale.stale_days: 60\n');
// A user detector with its fixtures (a copy of a built-in one under its own id).
mkdirSync(join(user, 'my-detectors', 'acme', 'stale-copy'), { recursive: true });
writeFileSync(join(user, 'my-detectors', 'acme', 'stale-copy.sql'),
  readFileSync(join(root, 'detectors/aws/stale.sql'), 'utf8').replace(/^id: aws\/stale$/m, 'id: acme/stale-copy'));
cpSync(join(root, 'fixtures/detectors/aws/stale'), join(user, 'my-detectors', 'acme', 'stale-copy'), { recursive: true });

const clonedRc = sh(`git clone --quiet --no-hardlinks "${root}" "${clone}"`, scratch, env);
if (clonedRc.status !== 0) { console.error(clonedRc.stderr); process.exit(1); }

let ran = 0;
let failed = 0;
const skipped = [];
let knownRun = null; // a run id printed by `diff --list`, for commands that name one as a placeholder
for (const c of commands) {
  const reason = skipReason(c);
  if (reason) { skipped.push(`README.md:${c.line}  ${c.cmd.slice(0, 90)}  — ${reason}`); continue; }
  let cmd = c.cmd;
  if (knownRun) cmd = cmd.replace(/\brun-\d{8}T\d{6}-[0-9a-f]{6}\b/g, knownRun);
  if (/^cd shadowscan\b/.test(cmd)) continue; // the clone is already the working directory of repository commands
  const t0 = Date.now();
  const r = sh(cmd, inClone(cmd) ? clone : user, env);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  ran += 1;
  const ok = r.status !== null && allowedExit(cmd).includes(r.status) && !/internal error/.test(r.stderr);
  if (/diff .*--list/.test(cmd)) knownRun = /\brun-\d{8}T\d{6}-[0-9a-f]{6}\b/.exec(r.stdout)?.[0] ?? knownRun;
  if (ok) {
    console.error(`ok    README.md:${c.line}  (${secs}s, exit ${r.status})  ${cmd}`);
  } else {
    failed += 1;
    console.error(`FAIL  README.md:${c.line}  (${secs}s, exit ${r.status ?? r.signal})  ${cmd}`);
    console.error(((r.stderr || '') + (r.stdout || '')).split('\n').slice(-25).map((l) => `      ${l}`).join('\n'));
  }
}
for (const s of skipped) console.error(`skip  ${s}`);
console.error(`readme-commands: ${ran} run, ${failed} failed, ${skipped.length} skipped (scratch: ${keep ? scratch : 'removed'})`);
if (!keep) rmSync(scratch, { recursive: true, force: true });
// Guard against an extraction that silently finds nothing.
process.exit(failed === 0 && ran >= 15 ? 0 : 1);
