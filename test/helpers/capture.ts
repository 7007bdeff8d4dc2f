import { vi } from 'vitest';

/** Capture what is written to stdout and stderr until `restore()`. No CLI import, so tests of lazy loading can use it. */
export function capture(): { out: string[]; err: string[]; restore: () => void } {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out.push(String(s)); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err.push(String(s)); return true; });
  return { out, err, restore: () => { o.mockRestore(); e.mockRestore(); } };
}
