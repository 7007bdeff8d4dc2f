import { UsageError } from './errors.js';

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * Parse "90d", "12h", "30m", "2w", "500ms" into seconds. Every duration carries its unit (ms, s, m, h, d, w):
 * a bare number is refused rather than guessed (it meant days in one place and seconds in another).
 */
export function parseDuration(text: string, flag?: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|[smhdw])\s*$/i.exec(text);
  if (!m || !m[1] || !m[2]) {
    throw new UsageError(`${flag ? `${flag}: ` : ''}invalid duration "${text}": give a number with a unit (ms, s, m, h, d, w), e.g. 90d, 12h, 30m, 500ms`);
  }
  return Number(m[1]) * (UNITS[m[2].toLowerCase()] ?? 86400);
}

/** Parse a duration flag into milliseconds (a unit is required, as everywhere). */
export function parseDurationMs(text: string, flag: string): number {
  return Math.round(parseDuration(text, flag) * 1000);
}

/** ISO-8601: a date, or a date and time with optional seconds, fraction and zone (Z or ±hh:mm). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parse an ISO-8601 instant (`2026-11-20`, `2026-11-20T06:00:00Z`, `…+02:00`); anything else (`1`, `Nov 20`,
 * which JavaScript's Date would turn into some date in 2001) is a UsageError naming the flag. A date or a
 * time without a zone is UTC.
 */
export function parseInstant(text: string, flag: string): Date {
  const t = text.trim();
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(t) || !/[T ]/.test(t) ? t : `${t}Z`;
  const d = ISO_8601.test(t) ? new Date(zoned.replace(' ', 'T')) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${flag}: "${text}" is not an ISO-8601 date/time (e.g. 2026-11-20 or 2026-11-20T00:00:00Z)`);
  return d;
}
