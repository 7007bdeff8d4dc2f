import { UsageError } from './errors.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Parse "90d", "12h", "30m", "2w" (or a plain number of days) into seconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/i.exec(text);
  if (!m || !m[1]) throw new UsageError(`invalid duration "${text}": use a number with a unit, e.g. 90d, 12h, 30m`);
  const unit = (m[2] || 'd').toLowerCase();
  return Number(m[1]) * (UNITS[unit] ?? 86400);
}

/** Parse an ISO-8601 instant; throws a UsageError naming the flag. */
export function parseInstant(text: string, flag: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${flag}: "${text}" is not an ISO-8601 date/time (e.g. 2026-11-20T00:00:00Z)`);
  return d;
}
