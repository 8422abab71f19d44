/**
 * A webhook receiver for local runs: it keeps every POST it is sent (headers and
 * the body exactly as received, since a signature covers the raw bytes) and
 * answers 204, or 500 to the first `failFirst` so the sender's retry shows.
 * Loopback only; it verifies nothing itself, because the secret is the caller's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  readonly receivedAt: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** What the receiver answered. */
  readonly status: number;
}

export interface CallbackReceiver {
  readonly url: string;
  readonly deliveries: readonly Delivery[];
  close(): Promise<void>;
}

export const DELIVERIES_PATH = '/_deliveries';

export async function startCallbackReceiver(options: {
  port?: number;
  failFirst?: number;
  onDelivery?: (d: Delivery) => void;
}): Promise<CallbackReceiver> {
  const deliveries: Delivery[] = [];
  let toFail = options.failFirst ?? 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method === 'GET' && path === DELIVERIES_PATH) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ deliveries }));
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { 'content-type': 'application/json', allow: 'POST' });
        res.end(
          JSON.stringify({
            message: `This receiver takes POSTs (and GET ${DELIVERIES_PATH}); received ${req.method}.`,
          }),
        );
        return;
      }
      const status = toFail > 0 ? 500 : 204;
      if (toFail > 0) toFail -= 1;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string') headers[k] = v;
      }
      const delivery: Delivery = {
        receivedAt: new Date().toISOString(),
        path,
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      };
      deliveries.push(delivery);
      options.onDelivery?.(delivery);
      res.writeHead(status);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
