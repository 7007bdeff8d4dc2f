/**
 * Accepted risks (`--exceptions FILE`): a finding someone with authority decided to live with, with
 * the reason, the approver and an expiry date. Covered findings move to the report's `suppressed`
 * list (never dropped) and come back by themselves once the exception expires (relative to --as-of).
 */
import { z } from 'zod';
import { UsageError } from '../kernel/errors.js';
import type { ExceptionRef, Finding, SuppressedFinding } from '../kernel/types.js';
import { formatYamlIssues, readYamlWithSchema, type YamlIssue } from '../kernel/yaml-input.js';
import type { Registry } from './registry.js';
import { findingTier, registryTierOf } from './unblock.js';

const DateOnly = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const text = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(new Date(`${text}T00:00:00Z`).getTime())) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a date: write YYYY-MM-DD` });
    return z.NEVER;
  }
  return text;
});

const ExceptionSchema = z.object({
  finding: z.string().regex(/^ssf-[0-9a-f]{20}$/, 'a finding id looks like ssf-0123456789abcdef0123').optional(),
  detector: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'a detector id looks like aws/overbroad').optional(),
  subject: z.string().min(1).optional(),
  reason: z.string().trim().min(10, 'say why the risk is accepted (at least a sentence)'),
  approver: z.string().trim().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'the approver is the email address of a person'),
  expires: DateOnly,
}).strict().refine((e) => e.finding !== undefined || e.subject !== undefined, {
  message: 'name what is accepted: a finding id, or a subject (ARN, key id, repo or registry id) with an optional detector',
});

export const ExceptionsFileSchema = z.object({ exceptions: z.array(ExceptionSchema).default([]) }).strict();

/** One validated exception with where it came from. */
export type Exception = z.infer<typeof ExceptionSchema> & { source: string };

export type ExceptionsLoad = { ok: true; exceptions: Exception[] } | { ok: false; file: string; issues: YamlIssue[] };

/** Read and validate an exceptions file. */
export function readExceptions(file: string): ExceptionsLoad {
  const r = readYamlWithSchema(file, ExceptionsFileSchema);
  if (!r.ok) return { ok: false, file, issues: r.issues };
  return { ok: true, exceptions: r.value.exceptions.map((e, i) => ({ ...e, source: `${file}:${r.lineOf(['exceptions', i])}` })) };
}

/** Read exceptions for a scan: an invalid file is a usage error listing every problem by line. */
export function readExceptionsOrThrow(file: string): Exception[] {
  const r = readExceptions(file);
  if (!r.ok) throw new UsageError(`--exceptions ${file} is not valid:\n${formatYamlIssues(file, r.issues)}`);
  return r.exceptions;
}

function matches(e: Exception, f: Finding): boolean {
  if (e.finding !== undefined && e.finding !== f.id) return false;
  if (e.detector !== undefined && e.detector !== f.detector) return false;
  if (e.subject !== undefined && e.subject !== f.subject.id && e.subject !== f.subject.arn) return false;
  return true;
}

/** True while the exception applies: through the end of its expiry day (UTC), as of `asOf`. */
export function exceptionActive(e: Pick<Exception, 'expires'>, asOf: Date): boolean {
  return asOf.getTime() < new Date(`${e.expires}T00:00:00Z`).getTime() + 86_400_000;
}

function ref(e: Exception): ExceptionRef {
  return { reason: e.reason, approver: e.approver, expires: e.expires, source: e.source };
}

/** What the exception rule reads of a registry: the policy, the people, and each entry's id, owner, tier and identities. */
export interface PolicyRegistry {
  policy?: Registry['policy'];
  people: string[] | undefined;
  agents: Pick<Registry['agents'][number], 'id' | 'owner' | 'tier' | 'identities'>[];
}

/** Whether an exception may cover a finding under the registry's approval policy: undefined if it may, else why not. */
export type ExceptionCheck = (e: Exception, f: Finding) => string | undefined;

/**
 * The approval policy's rule for exceptions (undefined without a policy): the approver holds the role the finding's
 * tier names (`exception_approver`, else one of the tier's approver roles), does not own what is accepted, is on
 * the people roster, and the exception expires within `exception_max_days` of `asOf`.
 */
export function policyExceptionCheck(registry: PolicyRegistry | undefined, asOf: Date, people?: readonly string[]): ExceptionCheck | undefined {
  const policy = registry?.policy;
  if (!registry || !policy) return undefined;
  const tierOfSubject = registryTierOf(registry);
  const roster = people ?? registry.people;
  const latest = new Date(asOf.getTime() + policy.exception_max_days * 86_400_000).toISOString().slice(0, 10);
  return (e, f) => {
    const tier = findingTier(f, { tierOfSubject });
    const tp = policy.tiers[String(tier) as '1' | '2' | '3'];
    const roles = tp.exception_approver ? [tp.exception_approver] : tp.approvers;
    const approver = e.approver.toLowerCase();
    const entryOwner = registry.agents.find((a) => a.id === f.evidence['registry_id'] || a.identities.includes(f.subject.id) || (f.subject.arn !== null && a.identities.includes(f.subject.arn)))?.owner;
    const owner = typeof f.evidence['owner'] === 'string' ? f.evidence['owner'].toLowerCase() : entryOwner;
    if (!roles.some((r) => (policy.roles[r] ?? []).includes(approver))) {
      const holders = roles.flatMap((r) => policy.roles[r] ?? []);
      return `${approver} does not hold the role ${roles.join(' or ')} that tier ${tier} exceptions need (${holders.join(', ')})`;
    }
    if (approver === owner) return `${approver} owns it: an owner cannot accept their own risk`;
    if (roster && !roster.includes(approver) && !roster.includes(approver.split('@')[0] ?? approver)) return `${approver} has left (not on the people roster)`;
    if (e.expires > latest) return `it expires ${e.expires}, more than ${policy.exception_max_days} days after ${asOf.toISOString().slice(0, 10)} (policy.exception_max_days): at most ${latest}`;
    return undefined;
  };
}

/**
 * Split findings into active and suppressed. A finding whose only matching exceptions have expired
 * stays active and says so in its evidence (`expired_exception`), so nobody mistakes it for new; one whose
 * unexpired exceptions the policy does not allow (`check`) stays active with `rejected_exception` saying why.
 */
export function applyExceptions(findings: Finding[], exceptions: Exception[], asOf: Date, check?: ExceptionCheck): { active: Finding[]; suppressed: SuppressedFinding[] } {
  const active: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const hits = exceptions.filter((e) => matches(e, f));
    const unexpired = hits.filter((e) => exceptionActive(e, asOf));
    const live = unexpired.find((e) => !check?.(e, f));
    if (live) suppressed.push({ finding: f, exception: ref(live) });
    else if (unexpired.length > 0) {
      const e = unexpired[0] as Exception;
      active.push({ ...f, evidence: { ...f.evidence, rejected_exception: { ...ref(e), why: check?.(e, f) ?? '' } } });
    } else if (hits.length > 0) {
      const last = [...hits].sort((a, b) => b.expires.localeCompare(a.expires))[0] as Exception;
      active.push({ ...f, evidence: { ...f.evidence, expired_exception: ref(last) } });
    } else active.push(f);
  }
  suppressed.sort((a, b) => a.finding.detector.localeCompare(b.finding.detector) || a.finding.subject.id.localeCompare(b.finding.subject.id));
  return { active, suppressed };
}
