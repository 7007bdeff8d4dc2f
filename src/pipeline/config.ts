/**
 * The configuration file (`shadowscan.yaml`, or `--config FILE`): defaults for scan flags and
 * detector parameters, validated with zod; errors name the file, line and column. The schema is
 * built from `CONFIG_SECTIONS` so later features add their own top-level keys (`registry:`,
 * `exceptions:`) by adding a section, and unknown keys stay errors (typos never pass silently).
 *
 * ```yaml
 * lookback: 60d
 * params:                          # flat: "<detector id>.<param>" or "<param>" (all detectors)
 *   aws/stale.stale_days: 60
 * detectors:                       # or nested per detector
 *   aws/privilege-escalation:
 *     params: { include_conditional: true }
 * detector_dirs: [./my-detectors]  # relative to this file
 * people: ./people.txt             # relative to this file
 * registry: ./registry.yaml         # the agent registry (relative to this file; --registry wins)
 * exceptions: ./exceptions.yaml     # accepted risks (relative to this file; --exceptions wins)
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../kernel/errors.js';
import { yamlFileTooBig, yamlToJs } from '../kernel/yaml-input.js';
import { readTextInput, TextEncodingError } from '../kernel/text-input.js';

/** Looked for in the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = 'shadowscan.yaml';

const ParamValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);

/** Top-level sections; add one per feature (issue 6 adds `registry` and `exceptions`). */
export const CONFIG_SECTIONS = {
  /** Scan window (`90d`, `12h`); `--lookback` wins. */
  lookback: z.string().regex(/^\d+(\.\d+)?[smhdw]$/, 'a duration such as 90d, 12h or 2w').optional(),
  /** Detector parameters, flat. */
  params: z.record(z.string(), ParamValue).optional(),
  /** Detector parameters, per detector. */
  detectors: z.record(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'a detector id such as aws/stale'),
    z.object({ params: z.record(z.string(), ParamValue).optional() }).strict()).optional(),
  /** Extra detector directories (added to `--detectors`). */
  detector_dirs: z.array(z.string()).optional(),
  /** People roster file (`--people` wins). */
  people: z.string().optional(),
  /** Agent registry file (`--registry` wins). */
  registry: z.string().optional(),
  /** Accepted-risk exceptions file (`--exceptions` wins). */
  exceptions: z.string().optional(),
};

export const ConfigSchema = z.object(CONFIG_SECTIONS).strict();
export type Config = z.infer<typeof ConfigSchema>;

/** A loaded configuration with paths resolved and parameters flattened to `id.name` / `name`. */
export interface LoadedConfig {
  file: string;
  config: Config;
  params: Record<string, unknown>;
  detectorDirs: string[];
  people?: string;
  registry?: string;
  exceptions?: string;
  /** Line of each flattened parameter key, for later validation messages. */
  paramLines: Record<string, number>;
}

/** The config file to use: `explicit`, else ./shadowscan.yaml when it exists, else none. */
export function configPath(explicit: string | undefined, cwd = process.cwd()): string | undefined {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new UsageError(`--config ${explicit}: no such file`);
    return explicit;
  }
  const dflt = resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(dflt) ? dflt : undefined;
}

/** Read, parse and validate a config file; every problem is a UsageError naming file:line:column. */
export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    const big = yamlFileTooBig(file);
    if (big) throw new UsageError(`${file}: ${big}`);
    text = readTextInput(file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof TextEncodingError) throw new UsageError(`${file}: ${e.message}`);
    throw new UsageError(`${file}: cannot read (${(e as Error).message})`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e?.linePos?.[0] ?? (e?.pos ? lc.linePos(e.pos[0]) : undefined);
    throw new UsageError(`${file}:${pos ? `${pos.line}:${pos.col}` : '?'}: invalid YAML: ${e?.message.split('\n')[0] ?? 'parse error'}`);
  }
  const js = yamlToJs(doc);
  if (!js.ok) throw new UsageError(`${file}: ${js.message}`);
  const raw = js.value;
  const where = (path: readonly PropertyKey[]): string => {
    // Point at the deepest node that exists on the path (a missing key points at its parent).
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      const keyNode = n > 0 ? findKey(doc, path.slice(0, n)) : undefined;
      const offset = keyNode ?? node?.range?.[0];
      if (offset !== undefined) {
        const p = lc.linePos(offset);
        return `${p.line}:${p.col}`;
      }
    }
    return '1:1';
  };
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const name = path.length ? path.join('.') : '(top level)';
    const msg = issue?.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')} (allowed: ${Object.keys(CONFIG_SECTIONS).join(', ')})` : issue?.message ?? 'invalid';
    throw new UsageError(`${file}:${where(issue?.code === 'unrecognized_keys' ? [...path, issue.keys[0] ?? ''] : path)}: ${name}: ${msg}`);
  }
  const cfg = parsed.data;
  const base = dirname(resolve(file));
  const params: Record<string, unknown> = {};
  const paramLines: Record<string, number> = {};
  for (const [k, v] of Object.entries(cfg.params ?? {})) {
    params[k] = v;
    paramLines[k] = Number(where(['params', k]).split(':')[0]);
  }
  for (const [id, d] of Object.entries(cfg.detectors ?? {})) {
    for (const [k, v] of Object.entries(d.params ?? {})) {
      params[`${id}.${k}`] = v;
      paramLines[`${id}.${k}`] = Number(where(['detectors', id, 'params', k]).split(':')[0]);
    }
  }
  const out: LoadedConfig = { file, config: cfg, params, paramLines, detectorDirs: (cfg.detector_dirs ?? []).map((d) => resolve(base, d)) };
  if (cfg.people) out.people = resolve(base, cfg.people);
  if (cfg.registry) out.registry = resolve(base, cfg.registry);
  if (cfg.exceptions) out.exceptions = resolve(base, cfg.exceptions);
  return out;
}

// Offset of the key node of the last path element (so errors point at `stale_dayz:`, not its value).
function findKey(doc: ReturnType<typeof parseDocument>, path: readonly PropertyKey[]): number | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1) as unknown[], true) : doc.contents;
  const items = (parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null)?.items;
  const last = path[path.length - 1];
  const hit = items?.find((p) => p.key?.value === last);
  return hit?.key?.range?.[0];
}

/**
 * Check parameter names against the loaded detectors: `id.name` must name a detector and one of its
 * params, a bare `name` must be a param of at least one detector.
 */
export function checkParams(params: Record<string, unknown>, known: { id: string; params: string[] }[], where: (key: string) => string): void {
  for (const key of Object.keys(params)) {
    const dot = key.lastIndexOf('.');
    if (dot > 0 && key.includes('/')) {
      const id = key.slice(0, dot);
      const name = key.slice(dot + 1);
      const det = known.find((d) => d.id === id);
      if (!det) throw new UsageError(`${where(key)}: no detector "${id}" (shadowscan detectors list)`);
      if (!det.params.includes(name)) throw new UsageError(`${where(key)}: ${id} has no parameter "${name}"${det.params.length ? ` (it has: ${det.params.join(', ')})` : ' (it takes none)'}`);
    } else if (!known.some((d) => d.params.includes(key))) {
      throw new UsageError(`${where(key)}: no detector has a parameter "${key}"`);
    }
  }
}
