/** Time helpers for the demo generator: everything in UTC epoch milliseconds. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `2026-11-19T10:11:12Z` (CloudTrail eventTime). */
export function isoZ(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** `2026-11-19T10:11:12+00:00` (AWS CLI v2 and credential report timestamps). */
export function isoOffset(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + '+00:00';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Nov 19, 2026, 10:11:12 AM` — how IAM and STS write dates inside CloudTrail responseElements. */
export function awsLongDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** Path segments `YYYY/MM/DD` of a day. */
export function dayPath(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '/');
}

/** `YYYYMMDDTHHMMZ` (CloudTrail log file name). */
export function fileStamp(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}Z`;
}

/** True on Saturday or Sunday (UTC). */
export function isWeekend(ms: number): boolean {
  const d = new Date(ms).getUTCDay();
  return d === 0 || d === 6;
}

/** Parse an ISO timestamp strictly, or throw naming the value. */
export function parseInstant(value: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw new Error(`not an ISO-8601 timestamp: ${value}`);
  return ms;
}
