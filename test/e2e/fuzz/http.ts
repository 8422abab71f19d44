/**
 * A raw HTTP client for fuzzing: `fetch` normalizes paths (`..`, `%2F`),
 * insists on well-formed URLs and sets a content type of its own, so the
 * requests are written with node:http, byte for byte as generated.
 */
import { Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Path and query exactly as sent (already percent-encoded where wanted). */
  path: string;
  /** Header values in latin1, as node writes them; a list sends the header once per value. */
  headers: Record<string, string | string[]>;
  body?: Buffer;
}

export interface RawReply {
  status: number;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: Record<string, unknown> | undefined;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** Closes the kept-alive sockets (the shop's server waits for them on stop). */
export function closeClient(): void {
  agent.destroy();
}

/** Sends one request; a reply slower than `timeoutMs` is reported as a hang, not waited for. */
export function send(baseUrl: string, req: RawRequest, timeoutMs = 15_000): Promise<RawReply> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    const r = request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        headers,
        // Huge bodies are answered before they are read: a fresh socket keeps that out of the pool.
        agent: req.body && req.body.length > 1024 * 1024 ? false : agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | undefined;
          try {
            const value: unknown = JSON.parse(text);
            if (value && typeof value === 'object' && !Array.isArray(value)) {
              json = value as Record<string, unknown>;
            }
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    r.setTimeout(timeoutMs, () =>
      r.destroy(new Error(`no answer within ${timeoutMs} ms (a hang)`)),
    );
    r.on('error', reject);
    r.end(req.body);
  });
}
