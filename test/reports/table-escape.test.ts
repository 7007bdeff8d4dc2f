import { describe, expect, it } from 'vitest';
import { printable, truncateMiddle } from '../../reports/table.js';

describe('terminal table text', () => {
  it('shows control characters as visible escapes so scanned data cannot drive the terminal', () => {
    expect(printable('boto3\u001b[31mEVIL\u0007')).toBe('boto3\\x1b[31mEVIL\\x07');
    expect(truncateMiddle('a\u001b]0;title\u0007b', 100)).not.toMatch(/[\u0000-\u001f]/);
  });

  it('truncates long ARNs in the middle, keeping both ends', () => {
    const arn = 'arn:aws:iam::210987654321:role/AmazonBedrockAgentCoreSDKRuntime-us-east-1-7f3a9c';
    const t = truncateMiddle(arn, 30);
    expect(t.length).toBe(30);
    expect(t.startsWith('arn:aws:iam::')).toBe(true);
    expect(t.endsWith('7f3a9c')).toBe(true);
  });
});
