import { Cron } from 'croner';
import { UsageError } from '../kernel/errors.js';

/** When runs are due: a fixed interval (`--every`) or a cron expression (`--schedule`, 5 or 6 fields). */
export type Schedule =
  | { kind: 'every'; ms: number; text: string }
  | { kind: 'cron'; cron: Cron; text: string };

/** Build a schedule from the flags; exactly one of them must be given. */
export function parseSchedule(every: number | undefined, everyText: string | undefined, cron: string | undefined): Schedule {
  if ((every === undefined) === (cron === undefined)) throw new UsageError('daemon: give exactly one of --every DURATION or --schedule CRON');
  if (every !== undefined) {
    if (!(every >= 100)) throw new UsageError(`--every ${everyText}: the interval must be at least 100ms`);
    return { kind: 'every', ms: every, text: everyText ?? `${every}ms` };
  }
  try {
    // No callback: croner only computes times here; the daemon's loop does the waiting.
    return { kind: 'cron', cron: new Cron(cron as string, { timezone: 'UTC' }), text: cron as string };
  } catch (e) {
    throw new UsageError(`--schedule ${cron}: ${(e as Error).message}`);
  }
}

/**
 * The next scheduled time after the previous one. A run that overran its slot is followed at once
 * (missed slots collapse into one run): runs are delayed, never overlapped or dropped.
 */
export function nextRunAt(schedule: Schedule, previous: Date | null, now: Date): Date {
  if (schedule.kind === 'every') {
    if (!previous) return now;
    const next = new Date(previous.getTime() + schedule.ms);
    return next < now ? now : next;
  }
  const next = schedule.cron.nextRun(previous ?? now) ?? new Date(now.getTime() + 86_400_000);
  return previous && next < now ? now : next;
}

/** Typical gap between runs (for "late" detection). */
export function scheduleInterval(schedule: Schedule): number {
  if (schedule.kind === 'every') return schedule.ms;
  const [a, b] = schedule.cron.nextRuns(2);
  return a && b ? b.getTime() - a.getTime() : 86_400_000;
}
