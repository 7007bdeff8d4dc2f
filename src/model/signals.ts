import { join, relative } from 'node:path';
import { INTEGER, VARCHAR, jsToDuckDBValue, type DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { projectRoot } from '../detect/loader.js';
import type { Store } from '../store/db.js';
import { builtinOrThrow, isOneSelect, parseSqlDir, pathId, readSqlFile } from '../kernel/sql-file.js';

/**
 * Classification signals as data (signals/README.md): one piece of evidence per `.sql` file below
 * signals/, id = path. Front matter says what class the evidence points to and how much it weighs;
 * the body is one SELECT returning `id` (the identity) and `detail` (what was seen, for the evidence
 * line). How signals combine into a classification is decided in one model file,
 * model/classification/classifications.sql.
 */

export const SIGNAL_CLASSES = ['human', 'workload', 'agent', 'aws-service', 'unknown'] as const;

/** Signal metadata (front matter). */
export const SignalMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/),
  /** The label shown in evidence (`agent: LLM runtime calls`). */
  signal: z.string().min(3),
  /** The class it is evidence for; `unknown` marks facts shown with the evidence that weigh nothing. */
  class: z.enum(SIGNAL_CLASSES),
  /** How much it weighs (0 = explains, never classifies; 100 = decisive). */
  weight: z.number().int().min(0).max(100),
  /** Every model object the SELECT reads. */
  reads: z.array(z.string()).min(1),
  /** What it means, in one line. */
  meaning: z.string().min(10),
  /**
   * Said of an identity that carries this signal and is not an agent, after the agent evidence it lacks
   * (inventory `not an agent` line). `replace: true` says it instead of the list of missing evidence.
   */
  not_agent: z.object({ text: z.string().min(5), replace: z.boolean().default(false) }).strict().optional(),
  /** For agent evidence: how its absence reads in the `not an agent` line (`no LLM runtime calls`). */
  absent: z.string().min(5).optional(),
}).strict();

export type SignalMeta = z.infer<typeof SignalMetaSchema>;

export interface Signal {
  meta: SignalMeta;
  sql: string;
  file: string;
}

export type SignalLoad = { ok: true; signal: Signal } | { ok: false; file: string; error: string };

/** The built-in signal directory. */
export function signalDir(): string {
  return join(projectRoot(), 'signals');
}

/** Parse and validate one signal file; the id must equal its path below `root` without `.sql`. */
export function parseSignal(file: string, root: string): SignalLoad {
  const read = readSqlFile(file, SignalMetaSchema);
  if (!read.ok) return { ok: false, file, error: read.error };
  const { meta, sql } = read;
  const expectedId = pathId(file, root);
  if (meta.id !== expectedId) return { ok: false, file, error: `id "${meta.id}" must equal the file path "${expectedId}"` };
  if (!isOneSelect(sql)) {
    return { ok: false, file, error: 'the body must be exactly one SELECT (or WITH … SELECT) returning id and detail' };
  }
  return { ok: true, signal: { meta, sql, file } };
}

/** Every signal below `dir`, in path order. */
export function loadSignalDir(dir: string = signalDir()): SignalLoad[] {
  return parseSqlDir(dir, 'signal', parseSignal);
}

/** The built-in signals; an invalid file is a bug in the package and throws. */
export function builtinSignals(): Signal[] {
  return builtinOrThrow(loadSignalDir(), 'signal').map((l) => l.signal);
}

/**
 * Fill `identity_signals` (created empty by its model file): each signal's rows with the signal's class, weight and
 * label, all signals in one INSERT … SELECT … UNION ALL (set-based; the values are bound). One statement, not one per
 * signal: DuckDB's cost for a statement on fixture-sized data is mostly planning, paid once. When it fails, each
 * signal is run alone so the error names the file at fault.
 */
export async function runSignals(store: Store, signals: readonly Signal[] = builtinSignals()): Promise<void> {
  if (signals.length === 0) return;
  const insert = (part: readonly Signal[], offset: number): [string, Record<string, DuckDBValue>] => [
    `INSERT INTO identity_signals (id, class, weight, signal, detail, signal_id)
      ${part.map((_, i) => `SELECT CAST(s.id AS VARCHAR), $class_${offset + i}, $weight_${offset + i}, $signal_${offset + i}, CAST(s.detail AS VARCHAR), $id_${offset + i}
        FROM (${part[i]!.sql}) s`).join('\n      UNION ALL ')}`,
    Object.fromEntries(part.flatMap((x, i) => [
      [`class_${offset + i}`, jsToDuckDBValue(x.meta.class, VARCHAR)], [`weight_${offset + i}`, jsToDuckDBValue(x.meta.weight, INTEGER)],
      [`signal_${offset + i}`, jsToDuckDBValue(x.meta.signal, VARCHAR)], [`id_${offset + i}`, jsToDuckDBValue(x.meta.id, VARCHAR)],
    ])),
  ];
  try {
    await store.run(...insert(signals, 0));
  } catch (all) {
    for (const [i, s] of signals.entries()) {
      try {
        await store.run(...insert([s], i));
      } catch (e) {
        throw new Error(`signal ${relative(projectRoot(), s.file)}: ${(e as Error).message}`, { cause: e });
      }
    }
    throw all;
  }
}

/** The signals table (metadata of every signal, for the inventory's explanations). */
export async function loadSignalTable(store: Store, signals: readonly Signal[] = builtinSignals()): Promise<void> {
  await store.run(`CREATE OR REPLACE TABLE signals (id VARCHAR, provider VARCHAR, signal VARCHAR, class VARCHAR, weight INTEGER, meaning VARCHAR,
    not_agent VARCHAR, not_agent_replaces BOOLEAN, absent VARCHAR)`);
  await store.append('signals', ['id', 'provider', 'signal', 'class', 'weight', 'meaning', 'not_agent', 'not_agent_replaces', 'absent'],
    signals.map((s) => [s.meta.id, s.meta.id.split('/')[0], s.meta.signal, s.meta.class, s.meta.weight, s.meta.meaning, s.meta.not_agent?.text ?? null,
      s.meta.not_agent?.replace ?? false, s.meta.absent ?? null]));
}
