// The closing line of .ci/run: "N passed, N failed" over every vitest JSON report (one per Node version) and every
// other check (each counts as one test). Exits non-zero on any failure, a missing report, or no test at all.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let total = 0;
for (const arg of process.argv.slice(2)) {
  if (arg.startsWith('--report=')) {
    const file = arg.slice('--report='.length);
    if (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
      console.error(`${file}: no vitest report (the run crashed before writing one)`);
      failed += 1;
      continue;
    }
    const r = JSON.parse(readFileSync(file, 'utf8'));
    const p = r.numPassedTests ?? 0;
    // A file that fails to load has no failed tests of its own: count each such suite once.
    const f = (r.numFailedTests ?? 0) + ((r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).every((a) => a.status !== 'failed')).length);
    console.error(`${file}: ${p} passed, ${f} failed${r.success ? '' : ' (not successful)'}`);
    passed += p;
    failed += f > 0 || r.success ? f : 1;
    total += r.numTotalTests ?? 0;
  } else if (arg.startsWith('--check=')) {
    const [name, rc] = arg.slice('--check='.length).split('=');
    console.error(`${name}: ${rc === '0' ? 'passed' : `failed (exit ${rc})`}`);
    if (rc === '0') passed += 1;
    else failed += 1;
    total += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && total > 0 ? 0 : 1);
