/** dynalite (a DynamoDB emulator on LevelDB, here in memory) as a loopback server of its own. */
import { join } from 'node:path';
import { freePort, startPeerProcess } from './child.js';

export interface Dynalite {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * In memory, as the local cloud runs DynamoDB Local (-inMemory), and in its own process, as
 * DynamoDB Local runs in its JVM, so neither shares the benchmark's event loop. Tables are ACTIVE
 * at once (dynalite waits 500 ms by default) so set-up takes no sleeps.
 */
export async function startDynalite(peersDir: string): Promise<Dynalite> {
  const port = await freePort();
  const server = await startPeerProcess({
    name: 'dynalite',
    args: [
      join(peersDir, 'node_modules', 'dynalite', 'cli.js'),
      ...['--host', '127.0.0.1', '--port', String(port)],
      ...['--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0'],
    ],
    cwd: peersDir,
    ready: /Dynalite listening/,
    timeoutMs: 20_000,
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.stop() };
}
