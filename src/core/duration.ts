import { UsageError } from './errors.js';

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Parse "90d", "12h", "30m", "2w", "500ms" (or a plain number of days) into seconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|[smhdw]?)\s*$/i.exec(text);
  if (!m || !m[1]) throw new UsageError(`invalid duration "${text}": use a number with a unit, e.g. 90d, 12h, 30m, 500ms`);
  const unit = (m[2] || 'd').toLowerCase();
  return Number(m[1]) * (UNITS[unit] ?? 86400);
}

/** Parse a duration flag into milliseconds; a bare number means seconds here (intervals, not windows). */
export function parseDurationMs(text: string, flag: string): number {
  const bare = /^\s*\d+(?:\.\d+)?\s*$/.test(text);
  let seconds: number;
  try {
    seconds = bare ? Number(text) : parseDuration(text);
  } catch {
    throw new UsageError(`${flag}: invalid duration "${text}": use a number with a unit, e.g. 500ms, 30s, 15m, 6h`);
  }
  return Math.round(seconds * 1000);
}

/** Parse an ISO-8601 instant; throws a UsageError naming the flag. */
export function parseInstant(text: string, flag: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${flag}: "${text}" is not an ISO-8601 date/time (e.g. 2026-11-20T00:00:00Z)`);
  return d;
}
