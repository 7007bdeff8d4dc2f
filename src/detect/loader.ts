import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isOneSelect, parseSqlDir, pathId, readSqlFile, sqlCode } from '../kernel/sql-file.js';
import { CATEGORIES } from '../kernel/types.js';

const ParamSchema = z.object({
  type: z.enum(['INTEGER', 'DOUBLE', 'VARCHAR', 'BOOLEAN', 'VARCHAR[]']),
  default: z.union([z.number(), z.string(), z.boolean(), z.array(z.string())]),
  description: z.string().optional(),
});

/** Detector metadata (front matter), DESIGN.md §6. */
export const DetectorMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/),
  title: z.string().min(5),
  category: z.enum(CATEGORIES),
  severity: z.enum(['info', 'low', 'medium', 'high', 'critical']),
  confidence: z.enum(['low', 'medium', 'high']),
  requires: z.array(z.string()).min(1),
  params: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), ParamSchema).default({}),
  summary: z.string().min(10),
  rationale: z.string().min(10),
  false_positives: z.array(z.string()).default([]),
  remediation: z.object({
    summary: z.string().min(5),
    steps: z.array(z.string()).min(1),
    cli: z.union([z.string(), z.array(z.string())]).optional(),
  }),
  references: z.array(z.string()).default([]),
  mappings: z.object({
    owasp_nhi: z.array(z.string()).min(1),
    mitre_attack: z.array(z.string()).default([]),
  }),
}).strict();

export type DetectorMeta = z.infer<typeof DetectorMetaSchema>;

export interface Detector {
  meta: DetectorMeta;
  sql: string;
  file: string;
}

export type DetectorLoad = { ok: true; detector: Detector } | { ok: false; file: string; error: string };

/** The repository root (holds package.json), from either src/ or dist/src/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the shadowscan project root');
    dir = up;
  }
  return dir;
}

/** The built-in detector directory. */
export function builtinDetectorDir(): string {
  return join(projectRoot(), 'detectors');
}

/** Parse and validate one detector file; the id must equal its path below `root` without `.sql`. */
export function parseDetector(file: string, root: string): DetectorLoad {
  const read = readSqlFile(file, DetectorMetaSchema);
  if (!read.ok) return { ok: false, file, error: read.error };
  const { meta, sql } = read;
  const expectedId = pathId(file, root);
  if (meta.id !== expectedId) {
    return { ok: false, file, error: `id "${meta.id}" must equal the file path "${expectedId}"` };
  }
  if (!isOneSelect(sql)) {
    return { ok: false, file, error: 'the body must be exactly one SELECT (or WITH … SELECT) statement' };
  }
  if (!/\border\s+by\b/i.test(sqlCode(sql))) {
    return { ok: false, file, error: 'the query must have an ORDER BY (deterministic output)' };
  }
  return { ok: true, detector: { meta, sql, file } };
}

/** Load every `*.sql` below `dir` (recursively). */
export function loadDetectorDir(dir: string): DetectorLoad[] {
  return parseSqlDir(dir, 'detector', parseDetector);
}
