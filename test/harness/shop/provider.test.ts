import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentProvider } from '../../../harness/payment-provider/server.js';
import { startProviderFor } from '../../../harness/shop/provider.js';

let dir: string;
const running: { stop(): Promise<void> }[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shop-provider-'));
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  rmSync(dir, { recursive: true, force: true });
});

const start = async (port: number): Promise<PaymentProvider> => {
  const provider = await startProviderFor(dir, port);
  running.push(provider);
  return provider;
};

/** A port free right now: listened on, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const stampWith = (port: number) =>
  writeFileSync(
    join(dir, '.shop-synth.json'),
    JSON.stringify({ hash: 'h', context: { paymentProviderUrl: `http://127.0.0.1:${port}` } }),
  );

describe('startProviderFor', () => {
  it('asked for any port, takes the one the assembly was synthesized with, so it is reused', async () => {
    const port = await freePort();
    stampWith(port);
    expect((await start(0)).port).toBe(port);
  });

  it('takes any free port when that one is taken, or when nothing was synthesized yet', async () => {
    const port = await freePort();
    stampWith(port);
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    running.push({ stop: () => new Promise((resolve) => holder.close(() => resolve())) });

    const other = await start(0);
    expect(other.port).not.toBe(port);
    expect(other.port).toBeGreaterThan(0);

    rmSync(join(dir, '.shop-synth.json'));
    expect((await start(0)).port).toBeGreaterThan(0);
  });

  it('a port asked for by number is the port used, whatever the assembly had', async () => {
    stampWith(await freePort());
    const port = await freePort();
    expect((await start(port)).port).toBe(port);
  });
});
