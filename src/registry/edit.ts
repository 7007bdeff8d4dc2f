/**
 * Edits of the registry file by the tool (`registry add`, `registry approve`): through the `yaml` library's
 * document model, so comments, key order and flow/block style of everything else are kept; the result is
 * validated like any registry before it replaces the file, and a new file is created 0600.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { UsageError } from '../kernel/errors.js';
import { formatYamlIssues, parseYamlWithSchema } from '../kernel/yaml-input.js';
import { RegistrySchema, readRegistry, type Registry } from './registry.js';

/** Parse, change, validate and write the registry file; returns the registry as re-read from the written file. */
export function editRegistry(file: string, change: (doc: Document) => void): Registry {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : 'agents: []\n';
  const doc = parseDocument(before, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new UsageError(`${file} is not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
  change(doc);
  const after = doc.toString({ lineWidth: 0 });
  const check = parseYamlWithSchema(after, RegistrySchema);
  if (!check.ok) throw new UsageError(`the change would make ${file} invalid, nothing was written:\n${formatYamlIssues(file, check.issues)}`);
  writeFileSync(file, after, existsSync(file) ? {} : { mode: 0o600 });
  const r = readRegistry(file);
  if (!r.ok) throw new UsageError(`${file} is not valid after writing:\n${formatYamlIssues(file, r.issues)}`);
  return r.registry;
}

/** The `agents:` sequence of a registry document, created when missing. */
export function agentsSeq(doc: Document): YAMLSeq {
  let seq = doc.get('agents', true);
  if (!isSeq(seq)) {
    seq = new YAMLSeq();
    doc.set('agents', seq);
  }
  // `agents: []` is a flow sequence; entries read better as blocks
  (seq as YAMLSeq).flow = false;
  return seq as YAMLSeq;
}

/** The entry map with this id, if any. */
export function findEntry(doc: Document, id: string): YAMLMap | undefined {
  const seq = doc.get('agents', true);
  if (!isSeq(seq)) return undefined;
  return seq.items.find((m): m is YAMLMap => isMap(m) && String(m.get('id')).toLowerCase() === id.toLowerCase());
}
