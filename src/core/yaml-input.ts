/**
 * User-written YAML files (registry, exceptions, …) validated against a zod schema, with every
 * problem reported at its line and column: `yaml` keeps node positions, zod gives the path.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isCollection, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { redactValue } from './redact.js';

/** One problem in a YAML input file, positioned for an editor (`file:line:col: message`). */
export interface YamlIssue {
  line: number;
  col: number;
  /** Dotted path of the offending value (`agents.2.tier`), empty for the document itself. */
  path: string;
  message: string;
}

export type YamlParse<T> =
  | { ok: true; value: T; /** Line of the node at a path (for later messages about valid content). */ lineOf: (path: (string | number)[]) => number }
  | { ok: false; issues: YamlIssue[] };

/** Format issues as `file:line:col: path: message`, one per line. */
export function formatYamlIssues(file: string, issues: YamlIssue[]): string {
  return issues.map((i) => `${file}:${i.line}:${i.col}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n');
}

/** Position of the deepest existing node along `path` (a missing key points at its parent). */
function positionOf(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    // zod names numeric map keys (tier 1:) as strings; the YAML node's key is the number
    const node = (doc.getIn(path.slice(0, n) as unknown[], true)
      ?? doc.getIn(path.slice(0, n).map((k) => (typeof k === 'string' && /^\d+$/.test(k) ? Number(k) : k)), true)) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lc.linePos(node.range[0]);
    if (n === 0 && isCollection(doc.contents) && doc.contents.range) return lc.linePos(doc.contents.range[0]);
  }
  return { line: 1, col: 1 };
}

/** Parse YAML text and validate it; never throws on bad input. */
export function parseYamlWithSchema<S extends z.ZodType>(text: string, schema: S): YamlParse<z.infer<S>> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const p = lc.linePos(e.pos[0]);
        return { line: p.line, col: p.col, path: '', message: `invalid YAML: ${e.message.split('\n')[0] ?? e.code}` };
      }),
    };
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const pos = positionOf(doc, lc, i.path);
      return { ...pos, path: i.path.map(String).join('.'), message: i.message };
    });
    issues.sort((a, b) => a.line - b.line || a.col - b.col);
    return { ok: false, issues };
  }
  // Registry and exception texts reach the store and reports: redacted like every other source.
  return { ok: true, value: redactValue(parsed.data), lineOf: (path) => positionOf(doc, lc, path).line };
}

/** Read a YAML file and validate it; a missing or unreadable file is an issue at line 1. */
export function readYamlWithSchema<S extends z.ZodType>(file: string, schema: S): YamlParse<z.infer<S>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, issues: [{ line: 1, col: 1, path: '', message: code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}` }] };
  }
  return parseYamlWithSchema(text, schema);
}
