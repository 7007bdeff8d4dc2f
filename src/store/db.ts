import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { InternalError, UsageError } from '../kernel/errors.js';
import { redact } from '../kernel/redact.js';
import { acquireLock, describeHolder, lockHolder, releaseLock } from './lock.js';
import { migrate } from './schema.js';

/** Default database location, relative to the working directory. */
export const DEFAULT_DB_PATH = './.shadowscan/shadowscan.duckdb';

export type SqlParams = Record<string, DuckDBValue | string | number | boolean | null | Date>;
export type Row = Record<string, unknown>;

/** Quote an SQL identifier (the one helper for identifiers; values are always bound). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quote a string literal, for the few places DuckDB takes no parameter (table-function file lists). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Convert one DuckDB JS value to plain JSON-able JS: bigint→number, Date→ISO string. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o: Row = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x);
    return o;
  }
  return v;
}

/**
 * DuckDB instance settings from the environment: `SHADOWSCAN_THREADS` caps DuckDB's worker threads
 * (default: one per core). Small scans on a busy machine (fixtures, CI, a shared host) run faster and
 * cheaper with 1; the test suite sets it.
 */
export function duckdbOptions(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const options: Record<string, string> = {};
  const raw = env['SHADOWSCAN_THREADS'];
  if (raw !== undefined && raw !== '') {
    if (!/^[1-9]\d{0,3}$/.test(raw)) throw new UsageError(`SHADOWSCAN_THREADS=${raw}: expected a whole number of threads, 1 or more`);
    options['threads'] = raw;
  }
  // DuckDB's memory limit (its default is 80% of the machine's memory), e.g. 2GB or 500MB.
  const memory = env['SHADOWSCAN_MEMORY_LIMIT'];
  if (memory !== undefined && memory !== '') {
    if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(memory)) throw new UsageError(`SHADOWSCAN_MEMORY_LIMIT=${memory}: expected a size such as 500MB or 2GB`);
    options['memory_limit'] = memory;
  }
  return options;
}

/** DuckDB could not go on for lack of memory or disk: not a property of the file it was reading. */
export function isResourceError(message: string): boolean {
  return /Out of Memory Error|could not allocate|failed to allocate|No space left on device/i.test(message);
}

/** The DuckDB store: one instance per file per process, one connection, typed helpers. */
export class Store {
  private constructor(
    readonly path: string,
    readonly connection: DuckDBConnection,
    private readonly instance: DuckDBInstance,
    private readonly ownsLock: boolean,
    /** Where an in-memory database spills (a private folder under the system temp dir), removed on close. */
    private readonly spillDir?: string,
  ) {}

  /** Open (creating, mode 0600) and migrate the database at `path`, or `:memory:`. */
  static async open(path: string = DEFAULT_DB_PATH): Promise<Store> {
    const memory = path === ':memory:';
    const options = duckdbOptions();
    // DuckDB spills an in-memory database into `.tmp` under the working directory; keep it out of the user's
    // folder: a private folder (0700) under the system temp dir, removed on close.
    const spillDir = memory ? mkdtempSync(join(tmpdir(), 'shadowscan-duckdb-')) : undefined;
    if (spillDir) options['temp_directory'] = spillDir;
    if (!memory) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      if (!existsSync(path)) closeSync(openSync(path + '.tmp-create', 'w', 0o600));
    }
    if (!memory) acquireLock(path);
    let instance: DuckDBInstance;
    try {
      instance = memory ? await DuckDBInstance.create(':memory:', options) : await DuckDBInstance.fromCache(path, options);
    } catch (e) {
      if (!memory) releaseLock(path);
      if (spillDir) rmSync(spillDir, { recursive: true, force: true });
      const message = redact((e as Error).message);
      if (/lock/i.test(message)) {
        throw new UsageError(`database ${path} is locked by another process (not a shadowscan that left a lock file): ${message.split('\n')[0]}`, { cause: e });
      }
      throw new InternalError(`cannot open database ${path}: ${message}`, { cause: e });
    } finally {
      if (!memory && existsSync(path + '.tmp-create')) {
        try { (await import('node:fs')).unlinkSync(path + '.tmp-create'); } catch { /* best effort */ }
      }
    }
    if (!memory && existsSync(path)) chmodSync(path, 0o600);
    try {
      const connection = await instance.connect();
      // Result order never depends on insertion order here (every query that needs one has ORDER BY);
      // dropping it lets DuckDB stream large loads with less memory.
      await connection.run('SET preserve_insertion_order = false');
      const store = new Store(path, connection, instance, !memory, spillDir);
      await migrate(store);
      return store;
    } catch (e) {
      if (!memory) releaseLock(path);
      if (spillDir) rmSync(spillDir, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * Open a daemon's snapshot (`snapshotPath`) read-only: no lock (the daemon holds the database's), no migration
   * (the snapshot is a copy of a migrated database), any number of readers at once.
   */
  static async openSnapshot(dbPath: string): Promise<Store> {
    const file = snapshotPath(dbPath);
    const instance = await DuckDBInstance.create(file, { ...duckdbOptions(), access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    return new Store(file, connection, instance, false);
  }

  /**
   * Copy the whole database into its snapshot file (`<db>.snapshot.duckdb`, 0600), written beside and renamed over
   * the previous one, so readers never see half a copy. The daemon calls it after each run: `report`, `diff` and
   * `ui` read the snapshot while the daemon holds the database.
   */
  async writeSnapshot(): Promise<string> {
    const target = snapshotPath(this.path);
    const tmp = `${target}.tmp`;
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.wal`, { force: true });
    const name = (await this.one<{ name: string }>('SELECT current_database() AS name'))?.name ?? 'main';
    // ATTACH takes no bound parameter for its path; the path is ours (the database path plus a suffix).
    await this.run(`ATTACH ${quoteLiteral(tmp)} AS shadowscan_snapshot`);
    try {
      await this.run(`COPY FROM DATABASE ${quoteIdent(name)} TO shadowscan_snapshot`);
    } finally {
      await this.run('DETACH shadowscan_snapshot');
    }
    chmodSync(tmp, 0o600);
    renameSync(tmp, target);
    return target;
  }

  /**
   * A second connection to the same database (same process, same lock), with its own transactions:
   * the daemon's delivery loop marks outbox rows on it while a run's transaction is open on the first.
   */
  async connect(): Promise<Store> {
    return new Store(this.path, await this.instance.connect(), this.instance, false);
  }

  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Run `fn` with the connection to itself. One connection cannot interleave statements (an
   * appender open while another query runs fails), so concurrent callers, e.g. collectors working
   * on several accounts at once, queue here.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Run a statement (no result rows). */
  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.connection.run(sql, params as Record<string, DuckDBValue> | undefined);
  }

  /** Run a query and return plain row objects (numbers, ISO strings, nested JS). */
  async all<T = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params as Record<string, DuckDBValue> | undefined);
    return reader.getRowObjectsJS().map((r) => plain(r) as T);
  }

  /** First row or undefined. */
  async one<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Run `fn` in a transaction; rolls back on error. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.run('COMMIT');
      return out;
    } catch (e) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /**
   * Append rows built in JS through DuckDB's appender (never row-by-row INSERT). Every text cell is
   * redacted on the way in (src/kernel/redact.ts): this is the one door JS-built rows (IAM, GitHub,
   * leak reports, people, registry, findings) take into the store, so no secret is ever written.
   */
  async append(table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<number> {
    const appender = await this.connection.createAppender(table);
    let n = 0;
    try {
      for (const row of rows) {
        for (let i = 0; i < columns.length; i++) appendCell(appender, row[i]);
        appender.endRow();
        n++;
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return n;
  }

  /** Close the connection (the instance is released when unreferenced). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    if (this.ownsLock) releaseLock(this.path);
    if (this.spillDir) rmSync(this.spillDir, { recursive: true, force: true });
  }
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;

/**
 * redact() is a pure function of the text, and appended rows repeat the same short texts: 90k grant rows of one
 * account hold ~1M cells, mostly ARNs, actions and policy names, and every scan appends the same 22k IAM action
 * names. A short text found clean is remembered for the process (at most 100k texts of up to 200 characters, 40 MB
 * at worst; the set starts over when full), so it is checked once; a text redact() changes is never remembered, so
 * no secret outlives the append that read it.
 */
const cleanTexts = new Set<string>();
function cleanCell(text: string): string {
  if (text.length > 200) return redact(text);
  if (cleanTexts.has(text)) return text;
  const r = redact(text);
  if (r === text) {
    if (cleanTexts.size >= 100_000) cleanTexts.clear();
    cleanTexts.add(text);
  }
  return r;
}

function appendCell(a: Appender, v: unknown): void {
  if (v === null || v === undefined) a.appendNull();
  else if (typeof v === 'string') a.appendVarchar(cleanCell(v));
  else if (typeof v === 'boolean') a.appendBoolean(v);
  else if (typeof v === 'number') Number.isInteger(v) ? a.appendBigInt(BigInt(v)) : a.appendDouble(v);
  else if (typeof v === 'bigint') a.appendBigInt(v);
  else if (v instanceof Date) a.appendVarchar(v.toISOString());
  else a.appendVarchar(cleanCell(JSON.stringify(v)));
}

/** Open the store for a re-evaluation (`registry check|suggest`, `explain`): a database file that does not exist is not created (an empty in-memory one stands in). */
export async function openForEvaluation(dbPath: string): Promise<Store> {
  return Store.open(dbPath !== ':memory:' && !existsSync(dbPath) ? ':memory:' : dbPath);
}

/** Open an existing database (never creates one): a missing file is a usage error. */
export async function openExistingDb(path: string, opts: { snapshotWhenLocked?: boolean; say?: (m: string) => void } = {}): Promise<Store> {
  if (path !== ':memory:' && !existsSync(path)) throw new UsageError(`--db ${path}: no such database (run \`shadowscan scan --db ${path}\` first)`);
  if (opts.snapshotWhenLocked && path !== ':memory:') {
    const holder = lockHolder(path);
    if (holder) {
      if (!existsSync(snapshotPath(path))) {
        // Only the daemon writes snapshots; any other holder (a scan, another `ui`) is waited for or closed.
        throw new UsageError(holder.command === 'shadowscan daemon'
          ? `database ${path} is in use by ${describeHolder(holder)} and it has not written a snapshot yet (it does after each run); try again after its first run`
          : `database ${path} is in use by ${describeHolder(holder)}; try again when it has ended (or close it)`);
      }
      opts.say?.(`database ${path} is in use by ${describeHolder(holder)}: reading its latest snapshot ${snapshotPath(path)} (written ${statSync(snapshotPath(path)).mtime.toISOString()})`);
      return Store.openSnapshot(path);
    }
  }
  return Store.open(path);
}

/** Where the daemon keeps the read-only copy of its database that `report`, `diff` and `ui` read while it runs. */
export function snapshotPath(dbPath: string): string {
  return resolve(dbPath) + '.snapshot.duckdb';
}
