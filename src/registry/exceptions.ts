/**
 * Accepted risks (`--exceptions FILE`): a finding someone with authority decided to live with, with
 * the reason, the approver and an expiry date. Covered findings move to the report's `suppressed`
 * list (never dropped) and come back by themselves once the exception expires (relative to --as-of).
 */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import type { ExceptionRef, Finding, SuppressedFinding } from '../core/types.js';
import { formatYamlIssues, readYamlWithSchema, type YamlIssue } from '../core/yaml-input.js';

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

/**
 * Split findings into active and suppressed. A finding whose only matching exceptions have expired
 * stays active and says so in its evidence (`expired_exception`), so nobody mistakes it for new.
 */
export function applyExceptions(findings: Finding[], exceptions: Exception[], asOf: Date): { active: Finding[]; suppressed: SuppressedFinding[] } {
  const active: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const hits = exceptions.filter((e) => matches(e, f));
    const live = hits.find((e) => exceptionActive(e, asOf));
    if (live) suppressed.push({ finding: f, exception: ref(live) });
    else if (hits.length > 0) {
      const last = [...hits].sort((a, b) => b.expires.localeCompare(a.expires))[0] as Exception;
      active.push({ ...f, evidence: { ...f.evidence, expired_exception: ref(last) } });
    } else active.push(f);
  }
  suppressed.sort((a, b) => a.finding.detector.localeCompare(b.finding.detector) || a.finding.subject.id.localeCompare(b.finding.subject.id));
  return { active, suppressed };
}
