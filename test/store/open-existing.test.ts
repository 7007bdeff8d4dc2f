/**
 * Reading a database another process holds: the daemon's snapshot when it has one; otherwise an error that fits
 * the holder (only the daemon writes snapshots, so a database held by `ui` or `scan` is not told to wait for "its first run").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openExistingDb, Store } from '../../src/store/db.js';
import { lockPath } from '../../src/store/lock.js';
import { tempDir } from '../helpers/scan.js';

let child: ChildProcess | undefined;
afterEach(() => { child?.kill(); child = undefined; });

/** A database whose lock names a live process (a child that sleeps) running `command`. */
async function heldBy(command: string): Promise<{ db: string; pid: number }> {
  const db = join(tempDir(), 'shadowscan.duckdb');
  (await Store.open(db)).close();
  child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const pid = child.pid!;
  writeFileSync(lockPath(db), JSON.stringify({ pid, host: hostname(), command, started_at: '2026-12-07T16:00:00.000Z' }) + '\n', { mode: 0o600 });
  return { db, pid };
}

describe('openExistingDb while another process holds the database', () => {
  it('held by `ui` (no snapshot): says who holds it and to try again when it has ended', async () => {
    const { db, pid } = await heldBy('shadowscan ui');
    await expect(openExistingDb(db, { snapshotWhenLocked: true })).rejects.toThrow(
      `database ${db} is in use by shadowscan ui (pid ${pid} on ${hostname()}, since 2026-12-07T16:00:00.000Z); try again when it has ended (or close it)`);
  });

  it('held by the daemon before its first snapshot: says the daemon writes one after each run', async () => {
    const { db } = await heldBy('shadowscan daemon');
    await expect(openExistingDb(db, { snapshotWhenLocked: true })).rejects.toThrow(/in use by shadowscan daemon .* has not written a snapshot yet \(it does after each run\)/);
  });
});
