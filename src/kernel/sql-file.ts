import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/**
 * SQL files with YAML front matter in a leading comment (detectors, model files, signals):
 * `/*--- YAML ---*\/` then the statement. One reader for all three.
 */

const FRONT = /^\s*\/\*---\s*\n([\s\S]*?)\n---\*\/\s*\n([\s\S]*)$/;

/** A parsed file: its validated metadata and its statement (trimmed, trailing `;` dropped), or why not. */
export type SqlFileRead<T> = { ok: true; meta: T; sql: string } | { ok: false; error: string };

/**
 * What a text parsed to, per schema: every scan reads the ~100 built-in files again (a changed file is read
 * afresh, since the text is the key), but parses each text's YAML and validates it once per process.
 */
const parsedTexts = new WeakMap<z.ZodType, Map<string, SqlFileRead<unknown>>>();

/** Read one file and validate its front matter against `schema`. */
export function readSqlFile<S extends z.ZodType>(file: string, schema: S): SqlFileRead<z.infer<S>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, error: `cannot read: ${(e as Error).message}` };
  }
  let memo = parsedTexts.get(schema);
  if (memo === undefined) parsedTexts.set(schema, (memo = new Map()));
  let read = memo.get(text) as SqlFileRead<z.infer<S>> | undefined;
  if (read === undefined) {
    read = parseSqlText(text, schema);
    if (memo.size >= 1000) memo.clear();
    memo.set(text, read);
  }
  // A copy: a caller may change what it was given without changing the next caller's.
  return structuredClone(read);
}

function parseSqlText<S extends z.ZodType>(text: string, schema: S): SqlFileRead<z.infer<S>> {
  const m = FRONT.exec(text);
  if (!m || m[1] === undefined || m[2] === undefined) {
    return { ok: false, error: 'missing front matter: the file must start with /*--- YAML ---*/ then one statement' };
  }
  let raw: unknown;
  try {
    raw = parseYaml(m[1]);
  } catch (e) {
    return { ok: false, error: `front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
  const meta = schema.safeParse(raw);
  if (!meta.success) {
    return { ok: false, error: `invalid front matter: ${meta.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  return { ok: true, meta: meta.data, sql: m[2].trim().replace(/;\s*$/, '') };
}

/** What a loader says of a file it cannot use. */
export interface SqlFileError {
  ok: false;
  file: string;
  error: string;
}

/**
 * Parse every `*.sql` file below `dir` (recursively, in path order) with `parse(file, root)`; a missing directory
 * is one error naming it (`what`: detector, model, signal).
 */
export function parseSqlDir<L>(dir: string, what: string, parse: (file: string, root: string) => L): (L | SqlFileError)[] {
  const files = sqlFilesBelow(dir);
  if (!files) return [{ ok: false, file: resolve(dir), error: `${what} directory does not exist` }];
  return files.map((f) => parse(f, resolve(dir)));
}

/** The loaded items of built-in files; an invalid one is a bug in the package and throws, naming every bad file. */
export function builtinOrThrow<L extends { ok: true } | SqlFileError>(loads: readonly L[], what: string): Exclude<L, SqlFileError>[] {
  const bad = loads.filter((l) => !l.ok) as SqlFileError[];
  if (bad.length > 0) throw new Error(`invalid ${what} file(s):\n${bad.map((b) => `  ${b.file}: ${b.error}`).join('\n')}`);
  return loads.filter((l): l is Exclude<L, SqlFileError> => l.ok);
}

/** The id a file must carry: its path below `root`, with forward slashes, without `.sql`. */
export function pathId(file: string, root: string): string {
  return relative(root, file).split(sep).join('/').replace(/\.sql$/, '');
}

/** Is the body exactly one SELECT (or WITH … SELECT) statement, run as written (no `${…}`)? */
export function isOneSelect(sql: string): boolean {
  const code = sqlCode(sql);
  return /^(with|select)\b/i.test(sql) && !code.includes(';') && !code.includes('${');
}

/** SQL with string literals and comments blanked (for checks on the code only). */
export function sqlCode(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''").replace(/--[^\n]*/g, '');
}

/** Every `*.sql` file below `dir`, recursively, in path order; null when `dir` does not exist. */
export function sqlFilesBelow(dir: string): string[] | null {
  const root = resolve(dir);
  if (!existsSync(root)) return null;
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.sql')) out.push(p);
    }
  };
  walk(root);
  return out;
}
