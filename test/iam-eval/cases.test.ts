import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/detect/loader.js';
import { evaluate, evaluateAssume, type NamedPolicy, type PolicySet, type Principal, type Request } from '../../src/iam-eval/evaluate.js';
import { parsePolicyDocument } from '../../src/iam-policy/policy.js';

// Every folder under fixtures/iam-eval is one case: policy set, request, expected decision.
const root = join(projectRoot(), 'fixtures/iam-eval');
const cases = readdirSync(root).filter((n) => statSync(join(root, n)).isDirectory()).sort();
const read = <T>(dir: string, file: string): T => JSON.parse(readFileSync(join(root, dir, file), 'utf8')) as T;

function named(p: { source: string; document: unknown }): NamedPolicy {
  const parsed = parsePolicyDocument(p.document, p.source);
  if (!parsed.ok) throw new Error(parsed.error);
  return { source: p.source, statements: parsed.statements };
}

describe('policy evaluator cases', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  for (const name of cases) {
    it(name, () => {
      const pol = read<{ identity: { source: string; document: unknown }[]; boundary?: { source: string; document: unknown }; trust?: unknown }>(name, 'policies.json');
      const req = read<Request & { description: string; principal: Principal; asOf: string; assume?: { roleAccount: string; roleTags: Record<string, string> } }>(name, 'request.json');
      const exp = read<{ decision: string; conditions_include?: string[] }>(name, 'expected.json');
      const set: PolicySet = { identity: pol.identity.map(named), boundary: pol.boundary ? named(pol.boundary) : undefined };
      const opts = { asOf: new Date(req.asOf) };
      const result = req.assume && pol.trust !== undefined
        ? evaluateAssume(set, req.principal, req.resource, req.assume.roleAccount, req.assume.roleTags, named({ source: 'trust', document: pol.trust }).statements, opts)
        : evaluate(set, req.principal, req, opts);
      expect(result.decision, req.description).toBe(exp.decision);
      for (const c of exp.conditions_include ?? []) expect(result.conditions.join('\n')).toContain(c);
    });
  }
});
