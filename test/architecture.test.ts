import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of the source, lowest first. A folder may import from its own folder and from folders on lower
 * layers; folders on the same layer do not import each other. Every folder of src/ (and reports/) is listed, so a
 * new folder has to be placed before it can be imported. README "How it works" gives each folder's role.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['src/kernel'], // types, errors, redaction, durations, sizes, the terminal-text sanitiser, input readers: imports nothing in src
  ['src/iam-policy', 'src/github-workflow'], // domain libraries: IAM policy parsing, action catalogue, grant expansion; workflow parsing
  ['src/iam-eval'], // IAM request evaluation over parsed policies
  ['src/store'], // DuckDB lifecycle, schema, migrations, loaders of source files
  ['src/connectors/aws'], // AWS API collection into the export layout the store loads
  ['src/connectors/engine', 'src/connectors/github'], // Athena/Trino rollups into the store; GitHub API collection
  ['src/inventory', 'src/detect'], // classification, scoring, privilege escalation; detector loading and running
  ['src/model'], // the SQL model build over the store
  ['src/registry'], // the agent registry, exceptions, approvals
  ['src/pipeline'], // collect → load → model → detect → score → diff → persist; no terminal
  ['reports'], // one renderer per format
  ['src/terminal', 'src/sinks'], // the writers to stdout/stderr; delivery of findings to webhooks, files, Splunk
  ['src/ui', 'src/daemon'], // the ink terminal UI; the scheduled service
  ['src/cli'], // commands: flags in, pipeline, render or deliver, exit code
];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every .ts/.tsx file below a folder, repo-relative with forward slashes. */
function sources(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(join(root, folder));
  return out.sort();
}

/** The repo-relative file a relative specifier names (`./x.js` is x.ts or x.tsx), or null for a package. */
function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const abs = resolve(root, dirname(from), spec);
  const base = abs.replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, abs, join(abs, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(root, candidate).split(sep).join('/');
  }
  return relative(root, abs).split(sep).join('/');
}

/** Every relative import of a file (static, type-only, re-exports, dynamic `import()`), resolved. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
  return info.importedFiles.flatMap((f) => {
    const target = resolveImport(file, f.fileName);
    return target === null ? [] : [target];
  });
}

/** The declared folder a file belongs to (the longest that contains it), or null. */
function folderOf(file: string, layers: readonly (readonly string[])[] = LAYERS): string | null {
  let best: string | null = null;
  for (const folder of layers.flat()) {
    if ((file === folder || file.startsWith(`${folder}/`)) && (best === null || folder.length > best.length)) best = folder;
  }
  return best;
}

interface ImportGraph {
  files: string[];
  edges: Map<string, string[]>;
}

function importGraph(): ImportGraph {
  const files = [...sources('src'), ...sources('reports')];
  return { files, edges: new Map(files.map((f) => [f, importsOf(f)])) };
}

/** Imports that go from a folder to one on the same or a higher layer (`from -> to`), and files in no folder. */
function layerViolations(graph: ImportGraph, layers: readonly (readonly string[])[] = LAYERS): string[] {
  const rank = new Map(layers.flatMap((folders, i) => folders.map((f) => [f, i] as const)));
  const out: string[] = [];
  for (const [file, targets] of graph.edges) {
    const from = folderOf(file, layers);
    if (from === null) {
      out.push(`${file}: in no declared folder`);
      continue;
    }
    for (const target of targets) {
      const to = folderOf(target, layers);
      if (to === from) continue;
      if (to === null) out.push(`${file} -> ${target}: target in no declared folder`);
      else if (rank.get(to)! >= rank.get(from)!) out.push(`${file} -> ${target} (${from} may not import ${to})`);
    }
  }
  return out.sort();
}

/** Groups of files that import each other, directly or through others (strongly connected components of 2+ files, or a self-import). */
function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.edges.get(v) ?? []) {
      if (!graph.edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.edges.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const f of graph.files) if (!index.has(f)) visit(f);
  return cycles;
}

describe('architecture', () => {
  const graph = importGraph();

  it('reads the imports of every source file', () => {
    expect(graph.files.length).toBeGreaterThan(100);
    expect(graph.edges.get('src/cli/main.ts')!.length).toBeGreaterThan(3);
  });

  it('every folder imports only from its own folder and lower layers', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('no import cycles between files', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('the checks fail on an upward import and on a cycle', () => {
    const bad: ImportGraph = {
      files: ['src/kernel/a.ts', 'src/store/b.ts'],
      edges: new Map([
        ['src/kernel/a.ts', ['src/store/b.ts']],
        ['src/store/b.ts', ['src/kernel/a.ts']],
      ]),
    };
    expect(layerViolations(bad)).toEqual(['src/kernel/a.ts -> src/store/b.ts (src/kernel may not import src/store)']);
    expect(importCycles(bad)).toEqual([['src/kernel/a.ts', 'src/store/b.ts']]);
    const sideways: ImportGraph = { files: ['src/inventory/a.ts'], edges: new Map([['src/inventory/a.ts', ['src/detect/b.ts']]]) };
    expect(layerViolations(sideways)).toEqual(['src/inventory/a.ts -> src/detect/b.ts (src/inventory may not import src/detect)']);
  });
});
