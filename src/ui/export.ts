/**
 * What the Detail view's `e` and `r` keys write: the identity's explanation and its suggested registry entry,
 * as text files. Built from the stored run only (no React, no terminal).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Finding } from '../core/types.js';
import type { IdentityDetail } from './data.js';

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

/**
 * The explanation of one identity: what it is, why it is classified so, who owns it, what it holds and did,
 * and each finding with evidence and next steps. Minimal text from the stored run (marked as such): the
 * `shadowscan explain` command, when present, gives the full account.
 */
export function explainText(d: IdentityDetail, runId: string): string {
  const out: string[] = [];
  const it = d.item;
  out.push(`# shadowscan: explanation of ${it?.arn ?? d.findings[0]?.subject.id ?? 'identity'} (run ${runId})`);
  out.push('# Written by the terminal UI from the stored run (minimal form).');
  out.push('');
  if (it) {
    out.push(`${it.kind} ${it.name} in ${it.account}`);
    out.push(`ARN/id: ${it.arn}${it.id !== it.arn ? ` (${it.id})` : ''}`);
    out.push(`Classification: ${it.classification} (${it.confidence} confidence)`);
    for (const e of it.evidence) out.push(`  - ${e.signal}${e.detail ? `: ${e.detail}` : ''}`);
    out.push(`Owner: ${ownerText(it.owner)}`);
    if (it.creator) out.push(`Creator: ${it.creator}`);
    out.push(`Created: ${it.created_at ?? 'unknown'}   Last used: ${it.last_used_at ?? 'not seen'}`);
    out.push(`Risk score: ${it.risk_score}/100`);
    for (const r of it.risk_reasons) out.push(`  ${r}`);
  }
  if (d.credentials.length) {
    out.push('', 'Credentials:');
    for (const c of d.credentials) out.push(`  ${c.id}  created ${c.created_at ?? '?'}  last used ${c.last_used_at ?? 'never seen'}`);
  }
  if (d.grants) {
    const g = d.grants;
    out.push('', `Granted vs used: ${g.used_granted} of ${g.actions} granted action(s) used` + (g.unused_share === null ? '' : ` (${Math.round(g.unused_share * 100)}% unused)`) + `, ${g.services} service(s)`);
    for (const w of g.wildcards) out.push(`  wildcard: ${w}`);
  }
  if (d.activity) {
    const a = d.activity;
    out.push('', `Activity: ${a.calls} call(s) on ${a.active_days} day(s), ${a.first_seen ?? '?'} – ${a.last_seen ?? '?'}; services ${a.services.join(', ') || 'none'}`);
  }
  out.push('', `Findings (${d.findings.length}):`);
  for (const f of d.findings) {
    out.push('', `[${f.severity}] ${f.category} — ${f.title} (${f.detector})`, `  ${f.reason}`);
    for (const l of evidenceLines(f.evidence)) out.push(`  ${l}`);
    out.push(`  Fix: ${f.remediation.summary}`);
    for (const s of nextSteps(f)) out.push(`    ${s}`);
  }
  return out.join('\n') + '\n';
}

/**
 * The suggested registry entry (the `agents:` item of a registry file). Uses the suggestion a registry
 * detector stored in a finding's evidence (`registry_yaml`) when there is one; otherwise a minimal entry
 * from the stored run, with placeholders to fill in.
 */
export function registryEntryText(d: IdentityDetail): string {
  for (const f of d.findings) {
    const y = (f.evidence as Record<string, unknown>)['registry_yaml'];
    if (typeof y === 'string' && y.trim()) return y.endsWith('\n') ? y : y + '\n';
  }
  const it = d.item;
  const ref = it ? (it.kind === 'access-key' ? it.id : it.arn) : (d.findings[0]?.subject.arn ?? d.findings[0]?.subject.id ?? '');
  const owner = it?.owner.value && /@/.test(it.owner.value) ? it.owner.value : 'CHANGE-ME@example.com';
  const entry = {
    id: (it?.name ?? ref).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'agent',
    owner,
    purpose: 'CHANGE ME: what this agent does',
    tier: 2,
    certified: new Date().toISOString().slice(0, 10),
    identities: [ref],
  };
  return [
    '# Suggested registry entry, written by the shadowscan terminal UI from the stored run (minimal form).',
    `# owner: ${it ? ownerText(it.owner) : 'unknown'}; set a person's email, a purpose, and the tier`,
    '# (1 read-only observer, 2 internal actor, 3 external-facing). Paste under `agents:` in your registry file.',
    stringify([entry]).trimEnd(),
  ].join('\n') + '\n';
}

function ownerText(o: { value: string | null; source: string; tag?: string }): string {
  if (!o.value) return 'none';
  if (o.source === 'tag') return `${o.value} (tag ${o.tag ?? 'owner'})`;
  if (o.source === 'creator') return `${o.value} (inferred: creator)`;
  return `${o.value} (${o.source})`;
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
