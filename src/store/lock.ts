import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../kernel/errors.js';

/**
 * Single-writer lock on a database file: `<db>.lock` holds the pid, host, command and start time of
 * the process using it. DuckDB locks the file too, but its error names no holder; this one does, and
 * it is taken before DuckDB opens the file, so a second daemon or a `scan` on the same file gets a
 * clear message. A lock left by a dead process (kill -9) is taken over.
 */
export interface LockInfo {
  pid: number;
  host: string;
  command: string;
  started_at: string;
}

/** What this process says it is, in lock files it writes (the CLI sets it, e.g. "shadowscan daemon"). */
export const lockIdentity = { command: 'shadowscan' };

const held = new Map<string, number>();
let exitHook = false;

/** The lock file of a database. */
export function lockPath(dbPath: string): string {
  return resolve(dbPath) + '.lock';
}

/** Read a lock file, or undefined when absent or unreadable. */
export function readLock(dbPath: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(lockPath(dbPath), 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

function alive(info: LockInfo): boolean {
  if (info.host !== hostname()) return true; // cannot check another host's process: assume it is running
  if (info.pid === process.pid) return false;
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process of another pid that holds the database's lock, if any. */
export function lockHolder(dbPath: string): LockInfo | undefined {
  if (held.has(lockPath(dbPath))) return undefined;
  const info = readLock(dbPath);
  return info && info.pid !== process.pid && alive(info) ? info : undefined;
}

/** Describe a holder for error messages. */
export function describeHolder(info: LockInfo): string {
  return `${info.command} (pid ${info.pid} on ${info.host}, since ${info.started_at})`;
}

/** Take the lock (re-entrant within a process); throws a UsageError naming the holder when another process has it. */
export function acquireLock(dbPath: string): void {
  const path = lockPath(dbPath);
  const count = held.get(path);
  if (count !== undefined) {
    held.set(path, count + 1);
    return;
  }
  const info: LockInfo = { pid: process.pid, host: hostname(), command: lockIdentity.command, started_at: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try { writeSync(fd, JSON.stringify(info) + '\n'); } finally { closeSync(fd); }
      held.set(path, 1);
      if (!exitHook) {
        exitHook = true;
        process.on('exit', () => { for (const p of held.keys()) { try { unlinkSync(p); } catch { /* gone */ } } });
      }
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const other = readLock(dbPath);
    if (other && alive(other)) {
      throw new UsageError(`database ${dbPath} is in use by ${describeHolder(other)}; stop it or use another --db (lock file ${path})`);
    }
    // Stale (its process is gone) or half-written: take it over.
    try { unlinkSync(path); } catch { /* another process took it over first */ }
  }
  throw new UsageError(`database ${dbPath}: could not take the lock file ${path}; another process keeps taking it`);
}

/** Release one hold on the lock; the file goes when the last hold does. */
export function releaseLock(dbPath: string): void {
  const path = lockPath(dbPath);
  const count = held.get(path);
  if (count === undefined) return;
  if (count > 1) {
    held.set(path, count - 1);
    return;
  }
  held.delete(path);
  try { unlinkSync(path); } catch { /* already gone */ }
}
