import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';

/** Run the CLI in-process, capturing stdout and stderr. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  try {
    process.exitCode = undefined;
    const code = await main(['node', 'shadowscan', ...args]);
    return { code, out: c.out.join(''), err: c.err.join('') };
  } finally {
    c.restore();
    process.exitCode = undefined;
  }
}
