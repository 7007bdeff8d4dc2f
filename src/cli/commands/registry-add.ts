/**
 * `shadowscan registry add`: the five questions as flags (CI, scripts) or, on a terminal, asked one by one
 * (src/ui/add.tsx). `--dry-run` answers "is my script an agent?" and prints the entry without writing it.
 */
import { forgetCiForInk } from '../interactive.js';
import { printOut } from '../../terminal/print.js';
import { existsSync } from 'node:fs';
import { UsageError, ExitCode } from '../../kernel/errors.js';
import { CALLS, finishAdd, observedIdentity, TOUCHES, type AddAnswers, type AddFlags, type Calls, type Touch } from '../../registry/add.js';

export { finishAdd, planText, type AddFlags } from '../../registry/add.js';
import { readRegistryOrThrow } from '../../registry/registry.js';
import { DEFAULT_DB_PATH } from '../../store/db.js';


const YES = ['yes', 'y', 'true'];
const NO = ['no', 'n', 'false'];

/** Parse the flag answers; undefined where a flag was not given. */
export function flagAnswers(f: AddFlags): Partial<AddAnswers> {
  const out: Partial<AddAnswers> = { identities: f.identity };
  if (f.id !== undefined) out.id = f.id;
  if (f.what !== undefined) out.what = f.what;
  if (f.owner !== undefined) out.owner = f.owner;
  if (f.touches !== undefined) {
    const keys = f.touches.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = keys.filter((k) => !TOUCHES.some((t) => t.key === k));
    if (bad.length) throw new UsageError(`--touches ${bad.join(',')}: expected a comma-separated list of ${TOUCHES.map((t) => t.key).join(', ')}`);
    out.touches = keys as Touch[];
  }
  if (f.unattended !== undefined) {
    const v = f.unattended.toLowerCase();
    if (!YES.includes(v) && !NO.includes(v)) throw new UsageError(`--unattended ${f.unattended}: expected yes or no`);
    out.unattended = YES.includes(v);
  }
  if (f.calls !== undefined) {
    if (!CALLS.some((c) => c.key === f.calls)) throw new UsageError(`--calls ${f.calls}: expected one of ${CALLS.map((c) => c.key).join(', ')}`);
    out.calls = f.calls as Calls;
  }
  return out;
}

/** The flags a non-interactive run still needs. */
export function missingFlags(a: Partial<AddAnswers>, dryRun: boolean): string[] {
  const m: string[] = [];
  if (!dryRun && !a.what) m.push('--what "what it does"');
  if (!dryRun && !a.owner) m.push('--owner EMAIL');
  if (!dryRun && !a.touches) m.push(`--touches ${TOUCHES.map((t) => t.key).join('|')}[,…]`);
  if (a.unattended === undefined) m.push('--unattended yes|no');
  if (!a.calls) m.push(`--calls ${CALLS.map((c) => c.key).join('|')}`);
  if (!dryRun && (a.identities ?? []).length === 0) m.push('--identity ARN|AKIA…|github:ORG/REPO');
  return m;
}




/** `shadowscan registry add` entry point: flags, or the terminal form when answers are missing and stdin is a terminal. */
export async function addCommand(f: AddFlags, registryFile: string | undefined): Promise<number> {
  const registry = registryFile && existsSync(registryFile) ? readRegistryOrThrow(registryFile) : undefined;
  const given = flagAnswers(f);
  const observed = given.identities?.[0] ? await observedIdentity(f.db ?? DEFAULT_DB_PATH, given.identities[0]) : undefined;
  const missing = missingFlags(given, Boolean(f.dryRun));
  if (missing.length > 0) {
    if (process.stdin.isTTY && process.stdout.isTTY && f.input !== false) {
      forgetCiForInk(); // before ink loads: a person answers these prompts, even inside a CI job's shell
      const { runAddForm } = await import('../../ui/add.js');
      return runAddForm({ flags: f, given, registry, registryFile, observed });
    }
    throw new UsageError(`registry add without a terminal needs the answers as flags; missing: ${missing.join(' ')}`);
  }
  const { text } = finishAdd(given as AddAnswers, f, registry, registryFile, observed);
  printOut(text);
  return ExitCode.ok;
}
