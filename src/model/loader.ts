import { basename, join, relative, sep } from 'node:path';
import { z } from 'zod';
import { builtinOrThrow, parseSqlDir, readSqlFile, sqlCode } from '../kernel/sql-file.js';
import { projectRoot } from '../detect/loader.js';

/**
 * The model as data (model/README.md): one view, table, macro or state update per `.sql` file below
 * model/, with YAML front matter (`name`, `kind`, `reads`, `params`, `summary`), run in an order
 * topologically sorted by `reads`. Reference tables are model files too (kind `reference`): they read
 * the CSV files below reference/ with DuckDB's `read_csv`, in bulk.
 */

/** What a model file creates or changes. */
export const MODEL_KINDS = ['reference', 'table', 'temp-table', 'view', 'macro', 'merge', 'signals', 'matches'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Model file metadata (front matter). */
export const ModelMetaSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  kind: z.enum(MODEL_KINDS),
  /** Every table, view or model object the statement reads (raw, reference or model). */
  reads: z.array(z.string()).default([]),
  /** DuckDB variables the statement reads with getvariable(): as_of, window_start, reference_dir. */
  params: z.array(z.enum(['as_of', 'window_start', 'reference_dir'])).default([]),
  /** What the object means, in a sentence or two. */
  summary: z.string().min(10),
}).strict();

export type ModelMeta = z.infer<typeof ModelMetaSchema>;

/** One model file: its metadata, its one statement, where it lives. */
export interface ModelObject {
  meta: ModelMeta;
  sql: string;
  file: string;
}

export type ModelLoad = { ok: true; object: ModelObject } | { ok: false; file: string; error: string };

/** The built-in model directory (model/ at the project root). */
export function modelDir(): string {
  return join(projectRoot(), 'model');
}

/** The built-in reference data directory (reference/ at the project root). */
export function referenceDir(): string {
  return join(projectRoot(), 'reference');
}

/** The statement each kind must be, capturing the object it writes. */
const STATEMENT: Record<ModelKind, RegExp> = {
  reference: /^create\s+or\s+replace\s+table\s+([a-z_][a-z0-9_]*)\s+as\b/i,
  table: /^create\s+or\s+replace\s+table\s+([a-z_][a-z0-9_]*)\s+as\b/i,
  'temp-table': /^create\s+or\s+replace\s+temp\s+table\s+([a-z_][a-z0-9_]*)\s+as\b/i,
  view: /^create\s+or\s+replace\s+view\s+([a-z_][a-z0-9_]*)\s+as\b/i,
  macro: /^create\s+or\s+replace\s+macro\s+([a-z_][a-z0-9_]*)\s*\(/i,
  merge: /^merge\s+into\s+([a-z_][a-z0-9_]*)\b/i,
  // an empty table the signals fill (src/model/signals.ts)
  signals: /^create\s+or\s+replace\s+table\s+([a-z_][a-z0-9_]*)\s*\(/i,
  // an empty table filled one pattern at a time (src/model/matches.ts)
  matches: /^create\s+or\s+replace\s+table\s+([a-z_][a-z0-9_]*)\s*\(/i,
};

/** Parse and validate one model file: the name equals the file name, the body is one statement writing it. */
export function parseModelFile(file: string): ModelLoad {
  const read = readSqlFile(file, ModelMetaSchema);
  if (!read.ok) return { ok: false, file, error: read.error };
  const { meta, sql } = read;
  if (basename(file, '.sql') !== meta.name) return { ok: false, file, error: `name "${meta.name}" must equal the file name` };
  const code = sqlCode(sql);
  if (code.includes(';')) return { ok: false, file, error: 'the body must be exactly one statement' };
  if (code.includes('${')) return { ok: false, file, error: 'the body must run as written (no ${…} placeholders)' };
  const target = STATEMENT[meta.kind].exec(code.trim())?.[1];
  if (target?.toLowerCase() !== meta.name) {
    return { ok: false, file, error: `a ${meta.kind} file must be one statement that writes "${meta.name}" (${STATEMENT[meta.kind].source})` };
  }
  return { ok: true, object: { meta: meta, sql, file } };
}

/** Every model file below `dir` (recursively), parsed, in path order. */
export function loadModelDir(dir: string = modelDir()): ModelLoad[] {
  return parseSqlDir(dir, 'model', (f) => parseModelFile(f));
}

/**
 * Order model objects so each runs after the model objects it reads (Kahn's algorithm; ties keep path
 * order, so the order is stable). Names must be unique; a cycle is an error naming its members.
 */
export function sortModel(objects: readonly ModelObject[]): ModelObject[] {
  const byName = new Map<string, ModelObject>();
  for (const o of objects) {
    const prev = byName.get(o.meta.name);
    if (prev) throw new Error(`model object "${o.meta.name}" is defined twice: ${prev.file} and ${o.file}`);
    byName.set(o.meta.name, o);
  }
  const deps = new Map(objects.map((o) => [o.meta.name, new Set(o.meta.reads.filter((r) => byName.has(r) && r !== o.meta.name))]));
  const done = new Set<string>();
  const out: ModelObject[] = [];
  while (out.length < objects.length) {
    const next = objects.find((o) => !done.has(o.meta.name) && [...(deps.get(o.meta.name) ?? [])].every((d) => done.has(d)));
    if (!next) {
      const stuck = objects.filter((o) => !done.has(o.meta.name)).map((o) => o.meta.name);
      throw new Error(`model objects read each other in a cycle: ${stuck.join(', ')}`);
    }
    done.add(next.meta.name);
    out.push(next);
  }
  return out;
}

/** The built-in model, validated and sorted; an invalid file is a bug in the package and throws. */
export function builtinModel(): ModelObject[] {
  return sortModel(builtinOrThrow(loadModelDir(), 'model').map((l) => l.object));
}

/** A model file's path relative to the project root, with forward slashes (for messages and docs). */
export function modelPath(file: string): string {
  return relative(projectRoot(), file).split(sep).join('/');
}
