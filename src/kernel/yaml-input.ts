/**
 * User-written YAML files (registry, exceptions, …) validated against a zod schema, with every
 * problem reported at its line and column: `yaml` keeps node positions, zod gives the path.
 */
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, isCollection, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { redactValue } from './redact.js';
import { readTextInput, TextEncodingError } from './text-input.js';

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

/** Largest YAML input file read (registry, exceptions, config): bigger ones are refused before parsing. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;
/** Most alias expansions allowed in one document (a "billion laughs" alias bomb is refused). */
export const MAX_YAML_ALIASES = 100;
/** Most issues printed for one file (the rest are counted). */
const MAX_ISSUES_SHOWN = 20;

/** Format issues as `file:line:col: path: message`, one per line (the first 20, then how many more). */
export function formatYamlIssues(file: string, issues: YamlIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((i) => `${file}:${i.line}:${i.col}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
  if (issues.length > MAX_ISSUES_SHOWN) shown.push(`${file}: … ${issues.length - MAX_ISSUES_SHOWN} more problem(s)`);
  return shown.join('\n');
}

/** Why a YAML file may not be read (too big), or undefined. */
export function yamlFileTooBig(file: string): string | undefined {
  const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  return size > MAX_YAML_BYTES ? `file is ${(size / 1048576).toFixed(1)} MB, more than the ${MAX_YAML_BYTES / 1048576} MB a YAML input may be; refused` : undefined;
}

/** `doc.toJS()` with the alias cap; an alias bomb becomes a message instead of an exception. */
export function yamlToJs(doc: Document): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {} };
  } catch (e) {
    const m = (e as Error).message;
    return { ok: false, message: /alias/i.test(m) ? `YAML aliases expand too much (more than ${MAX_YAML_ALIASES} alias uses: an alias bomb?); refused` : `invalid YAML: ${m.split('\n')[0]}` };
  }
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
  const js = yamlToJs(doc);
  if (!js.ok) return { ok: false, issues: [{ line: 1, col: 1, path: '', message: js.message }] };
  const raw = js.value;
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
    const big = yamlFileTooBig(file);
    if (big) return { ok: false, issues: [{ line: 1, col: 1, path: '', message: big }] };
    text = readTextInput(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, issues: [{ line: 1, col: 1, path: '', message: e instanceof TextEncodingError ? e.message : code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}` }] };
  }
  return parseYamlWithSchema(text, schema);
}
