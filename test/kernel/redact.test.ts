import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorWithoutText, redact, redactSqlJson, redactSqlText, redactText, redactValue, REDACTED } from '../../src/kernel/redact.js';
import { quoteLiteral, Store } from '../../src/store/db.js';
import { PLANTED_SECRETS } from '../helpers/planted-secrets.js';

/** Text that looks a bit like a secret but is not one: must come through unchanged. */
const NOT_SECRETS = [
  'AKIAIOSFODNN7EXAMPLE',
  'ASIAY34FZKBOKMUTVV7A',
  'arn:aws:iam::123456789012:role/service-role/task-runner',
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.amzn.2023 prompt/off command/s3.cp',
  'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.12 exec-env/AWS_Lambda_python3.12 cfg/retry-mode#standard',
  'aws-sdk-js/3.600.0 ua/2.1 os/linux lang/js md/nodejs#20.11 api/bedrock-runtime#3.600 m/E,N x-client-framework:langchain-aws',
  'aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}',
  'password=$DB_PASSWORD',
  '{"nextToken":"abc123","maxResults":50,"roleName":"task-executor","key":"reports/2026/11/q4.csv"}',
  '{"tokenCode":"123456","serialNumber":"arn:aws:iam::123456789012:mfa/ci"}',
  'desk-agent task-runner-0123456789abcdefghij',
  'https://github.com/example/repo/blob/main/.github/workflows/ci.yml#L12',
  '{"calls_marked_bearer_token":0,"user_has_console_password":false}',
  'user without console password: programmatic access only',
  'permissions:\n  id-token: write\n  contents: read',
];

describe('redaction', () => {
  it.each(PLANTED_SECRETS.map((s) => [s.id, s] as const))('removes %s in every context it is planted in', (_id, s) => {
    for (const ctx of s.contexts) {
      const out = redact(ctx);
      expect(out, ctx).not.toContain(s.needle);
      expect(out).toContain(REDACTED);
    }
  });

  it('leaves identifiers, user agents, workflow references and ordinary request fields alone', () => {
    for (const t of NOT_SECRETS) expect(redact(t)).toBe(t);
  });

  it('keeps the label and the surrounding text', () => {
    expect(redact('ua key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY rest')).toBe(`ua key=${REDACTED} rest`);
    expect(redactText('{"credentials":{"accessKeyId":"ASIAY34FZKBOKMUTVV7A","sessionToken":"abc\\"def","expiration":"x"}}'))
      .toBe(`{"credentials":{"accessKeyId":"ASIAY34FZKBOKMUTVV7A","sessionToken":"${REDACTED}","expiration":"x"}}`);
  });

  it('blanks secret-named fields in nested values', () => {
    const v = redactValue({ a: { SecretAccessKey: 'x'.repeat(40), AccessKeyId: 'AKIAX' }, list: [{ sessionToken: 'tok' }], note: 'use ghp_' + 'a'.repeat(36) });
    expect(v.a.SecretAccessKey).toBe(REDACTED);
    expect(v.a.AccessKeyId).toBe('AKIAX');
    expect(v.list[0]?.sessionToken).toBe(REDACTED);
    expect(v.note).toBe(`use ${REDACTED}`);
  });

  it('keeps JSON valid and removes every planted secret from arbitrary JSON (property)', () => {
    const contexts = PLANTED_SECRETS.flatMap((s) => s.contexts);
    // Tokens are recognised where they stand apart (`risk-assessment-…` must not read as an `sk-` key).
    const secretText = fc.tuple(fc.string(), fc.constantFrom(...contexts), fc.string()).map(([a, c, b]) => `${a} ${c} ${b}`);
    const key = fc.oneof(fc.string(), fc.constantFrom('sessionToken', 'password', 'SecretAccessKey', 'token', 'note', 'Authorization'));
    const leaf = fc.oneof(fc.string(), secretText, fc.integer(), fc.boolean(), fc.constant(null));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
    }));
    fc.assert(fc.property(tree, (v) => {
      for (const text of [JSON.stringify(v), JSON.stringify({ body: JSON.stringify(v) })]) {
        const out = redact(text);
        expect(() => JSON.parse(out), out).not.toThrow();
        for (const s of PLANTED_SECRETS) expect(out.includes(s.needle), `${s.id} in ${out}`).toBe(false);
      }
    }), { numRuns: 300 });
  });

  it('DuckDB (RE2) redacts exactly like JavaScript, for text and JSON', async () => {
    const store = await Store.open(':memory:');
    try {
      const corpus = [...PLANTED_SECRETS.flatMap((s) => s.contexts), ...NOT_SECRETS];
      const values = corpus.map((t, i) => `(${i}, ${quoteLiteral(t)})`).join(', ');
      const rows = await store.all<{ i: number; out: string }>(`SELECT i, ${redactSqlText('t')} AS out FROM (VALUES ${values}) v(i, t) ORDER BY i`);
      expect(rows.map((r) => r.out)).toEqual(corpus.map(redactText));
      const json = JSON.stringify({ credentials: { accessKeyId: 'ASIAY34FZKBOKMUTVV7A', sessionToken: 'IQoJb3JpZ2luX2VjEJr' + 'A'.repeat(300) } });
      const row = await store.one<{ out: string }>(`SELECT CAST(${redactSqlJson('$j::JSON')} AS VARCHAR) AS out`, { j: json });
      expect(JSON.parse(row?.out ?? '{}')).toEqual({ credentials: { accessKeyId: 'ASIAY34FZKBOKMUTVV7A', sessionToken: REDACTED } });
    } finally {
      store.close();
    }
  });

  it('describes a JSON parse error without quoting the input', () => {
    const text = '{"Secret": wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}';
    let err: unknown;
    try { JSON.parse(text); } catch (e) { err = e; }
    const msg = jsonErrorWithoutText(err, text);
    expect(msg).not.toContain('wJalr');
    expect(msg).toMatch(/line 1, column \d+/);
  });
});
