import { describe, expect, it } from 'vitest';
import { redact, redactValue } from '../../src/core/redact.js';

describe('redaction', () => {
  it('removes secret access keys, session tokens and auth headers but keeps key ids', () => {
    const text = 'aws_access_key_id=AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY Authorization: Bearer abc.def';
    const out = redact(text);
    expect(out).toContain('AKIAIOSFODNN7EXAMPLE');
    expect(out).not.toContain('wJalrXUtnFEMI');
    expect(out).not.toContain('abc.def');
  });

  it('removes GitHub tokens and token query strings', () => {
    const out = redact('token ghp_0123456789abcdefghijABCDEFGHIJ012345 at https://x/y?access_token=s3cr3t&z=1');
    expect(out).not.toContain('ghp_0123');
    expect(out).not.toContain('s3cr3t');
  });

  it('blanks secret-named fields in nested values', () => {
    const v = redactValue({ a: { SecretAccessKey: 'x'.repeat(40), AccessKeyId: 'AKIAX' }, list: [{ sessionToken: 'tok' }] });
    expect(v.a.SecretAccessKey).toBe('[REDACTED]');
    expect(v.a.AccessKeyId).toBe('AKIAX');
    expect(v.list[0]?.sessionToken).toBe('[REDACTED]');
  });
});
