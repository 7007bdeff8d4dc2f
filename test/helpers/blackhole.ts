import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';

/**
 * A loopback port that never accepts a connection, as a host behind a firewall that drops packets: a listener in a
 * child process that is then stopped (SIGSTOP), its one-entry accept queue filled, so the kernel drops every new SYN
 * and a client's connect stays pending. Linux semantics (tcp_abort_on_overflow = 0, the default).
 */
export async function startBlackhole(): Promise<{ url: string; port: number; close: () => void }> {
  const child = spawn(process.execPath, ['-e', "require('net').createServer(() => {}).listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () { console.log(this.address().port) })"],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('error', reject);
  });
  process.kill(child.pid!, 'SIGSTOP');
  const fill: Socket[] = [];
  for (let i = 0; i < 4; i++) fill.push(connect({ host: '127.0.0.1', port }).on('error', () => undefined));
  await new Promise((r) => setTimeout(r, 200));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      for (const s of fill) s.destroy();
      child.kill('SIGKILL');
    },
  };
}
