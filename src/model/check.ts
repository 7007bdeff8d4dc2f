import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Store } from '../store/db.js';
import { modelDir, type ModelObject } from './loader.js';
import { selectReads, statementReads, statementVariables } from './reads.js';

/** One raw table the model reads (model/sources.yaml). */
export const RawTableSchema = z.object({
  loaded_by: z.string().min(3),
  /** Detectors and signals may read it directly (else only model files may). */
  detectors: z.boolean(),
  meaning: z.string().min(10),
}).strict();

export type RawTable = z.infer<typeof RawTableSchema>;

/** The raw tables declared in model/sources.yaml. */
export function rawTables(file: string = join(modelDir(), 'sources.yaml')): Map<string, RawTable> {
  const parsed = z.record(z.string(), RawTableSchema).parse(parseYaml(readFileSync(file, 'utf8')));
  return new Map(Object.entries(parsed));
}

/** What a reader (model file, signal, detector) may read: the model objects and the raw tables open to it. */
export interface Provided {
  model: ReadonlySet<string>;
  raw: ReadonlyMap<string, RawTable>;
}

/** One declaration problem, worded for the person who must fix the file. */
export interface DeclarationProblem {
  file: string;
  problem: string;
}

const list = (xs: readonly string[]): string => xs.join(', ');

/** Compare what a query reads with what its file declares, and with what it may read at all. */
function compare(file: string, reads: readonly string[], declared: readonly string[], field: string, allowed: (t: string) => string | null): DeclarationProblem[] {
  const out: DeclarationProblem[] = [];
  const undeclared = reads.filter((r) => !declared.includes(r));
  const unread = declared.filter((d) => !reads.includes(d));
  if (undeclared.length > 0) out.push({ file, problem: `reads ${list(undeclared)} but does not declare it in ${field}` });
  if (unread.length > 0) out.push({ file, problem: `declares ${list(unread)} in ${field} but does not read it` });
  for (const d of declared) {
    const why = allowed(d);
    if (why) out.push({ file, problem: `${field} names ${d}: ${why}` });
  }
  return out;
}

/** Model files: `reads` equals what the statement reads, `params` the variables it reads; reads are raw or model. */
export async function checkModelFile(store: Store, o: ModelObject, provided: Provided, signalReads: readonly string[] = []): Promise<DeclarationProblem[]> {
  // a `signals` file reads what its signals read
  const reads = o.meta.kind === 'signals' ? [...new Set(signalReads)].sort() : await statementReads(store, o.meta.kind, o.sql);
  const out = compare(o.file, reads, o.meta.reads, 'reads', (t) =>
    provided.model.has(t) || provided.raw.has(t) ? null : 'neither a model object (model/**/*.sql) nor a raw table (model/sources.yaml)');
  const vars = statementVariables(o.sql);
  const missing = vars.filter((v) => !(o.meta.params as string[]).includes(v));
  const unused = o.meta.params.filter((p) => !vars.includes(p));
  if (missing.length > 0) out.push({ file: o.file, problem: `reads variable(s) ${list(missing)} but does not declare them in params` });
  if (unused.length > 0) out.push({ file: o.file, problem: `declares ${list(unused)} in params but does not read it` });
  return out;
}

/**
 * Detectors and signals: `requires` (or `reads`) equals what the SELECT reads, and names only model
 * objects or raw tables marked `detectors: true` (detectors read the model, not the loaders' tables).
 */
export async function checkQuery(store: Store, file: string, select: string, declared: readonly string[], field: string, provided: Provided): Promise<DeclarationProblem[]> {
  const reads = await selectReads(store, select);
  return compare(file, reads, declared, field, (t) => {
    if (provided.model.has(t)) return null;
    const raw = provided.raw.get(t);
    if (!raw) return 'not provided by the model (no model/**/*.sql file creates it, model/sources.yaml does not declare it)';
    return raw.detectors ? null : `a raw table only model files read (model/sources.yaml: detectors: false); read the model object built from it`;
  });
}
