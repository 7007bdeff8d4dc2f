import { describe, expect, it } from 'vitest';
import { initialState, queryKey, reduce, splitKeys, type UiState } from '../../src/ui/state.js';
import { inventoryLine, wrapCommand } from '../../src/ui/layout.js';

const page = (n: number, offset = 0) => ({
  rows: Array.from({ length: Math.min(16, n - offset) }, (_, i) => ({
    id: `id-${offset + i}`, kind: 'iam-role', classification: 'agent' as const, name: `n${offset + i}`, arn: `arn:${offset + i}`,
    account: '1', owner: null, owner_source: 'none', risk_score: 1, finding_count: 0,
  })),
  total: n, offset, key: queryKey({ text: '', only: undefined, sort: 0, cursor: 0, top: 0 }),
});

describe('UI state', () => {
  it('keys typed ahead arrive as one string and still act one by one', () => {
    expect(splitKeys('jk\r', {})).toEqual([{ input: 'j', key: {} }, { input: 'k', key: {} }, { input: '', key: { return: true } }]);
    expect(splitKeys('\x1b[B', { downArrow: true })).toEqual([{ input: '\x1b[B', key: { downArrow: true } }]);
    let s: UiState = initialState(80, 24, page(100));
    for (const k of splitKeys('jjj\r', {})) s = reduce(s, { type: 'key', ...k });
    expect(s.inv.cursor).toBe(3);
    expect(s.detail?.id).toBe('id-3');
  });

  it('moving past the screen scrolls the window; a changed filter waits for its own page', () => {
    let s: UiState = initialState(80, 24, page(100));
    for (let i = 0; i < 20; i++) s = reduce(s, { type: 'key', input: 'j', key: {} });
    expect(s.inv.cursor).toBe(20);
    expect(s.inv.top).toBe(5); // 16 rows at 24 lines
    s = reduce(s, { type: 'key', input: 'f', key: {} });
    expect(s.inv).toMatchObject({ only: 'agent', cursor: 0, top: 0 });
    // The old page answers another filter: no movement until the new page arrives.
    s = reduce(s, { type: 'key', input: 'j', key: {} });
    expect(s.inv.cursor).toBe(0);
  });

  it('rows fit the width and long commands wrap with shell continuations', () => {
    const row = page(1).rows[0]!;
    const line = inventoryLine({ ...row, name: 'x'.repeat(200) }, 80);
    expect(line.reduce((n, seg) => n + seg.text.length, 0)).toBeLessThanOrEqual(78);
    const cmd = 'aws iam detach-role-policy --role-name support-agent-runtime --policy-arn arn:aws:iam::aws:policy/AdministratorAccess';
    const lines = wrapCommand(`$ ${cmd}`, 60, '  ');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
    expect(lines.map((l) => l.replace(/ \\$/, '').trim()).join(' ')).toBe(`$ ${cmd}`);
  });
});
