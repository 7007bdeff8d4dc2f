/**
 * Text helpers of the Detail view (next steps, evidence lines) and the files its `e` and `r` keys write. The
 * texts themselves come from `shadowscan explain` and `registry suggest` (src/registry/), through the UiSource.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../kernel/types.js';

/** One finding's next steps: the remediation steps, then the commands, ready to copy. */
export function nextSteps(f: Finding): string[] {
  return [...f.remediation.steps.map((s, i) => `${i + 1}. ${s}`), ...f.remediation.commands.map((c) => `$ ${c}`)];
}

/** Evidence as `key: value` lines (nested values as compact JSON). */
export function evidenceLines(evidence: Record<string, unknown>): string[] {
  return Object.entries(evidence)
    .filter(([k, v]) => v !== null && v !== undefined && k !== 'registry_yaml')
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
}

/** A file name for an identity: its name, made safe. */
export function safeFileName(text: string): string {
  return text.replace(/^arn:aws:iam::/, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120) || 'identity';
}

/** Write `text` to DIR/NAME (creating DIR); returns the path. */
export function writeExport(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
