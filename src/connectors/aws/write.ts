/** Writing collected API output to the offline layout: atomic, owner-only, stable JSON. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Write `data` to `file` atomically (temp file + rename), creating folders; mode 0600. */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, file);
}

/** API output as JSON the way the AWS CLI prints it: no SDK metadata, dates as ISO strings. */
export function cliJson(value: unknown): string {
  return JSON.stringify(value, (k, v: unknown) => (k === '$metadata' ? undefined : v), 2) + '\n';
}
