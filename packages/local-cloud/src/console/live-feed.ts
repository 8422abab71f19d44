import type { ServerResponse } from 'node:http';

/** Events a client gets on connecting, before the live ones. */
export const BACKLOG = 200;

/**
 * The server-sent-events side of the console: every connected page gets each message once.
 * A page that reads slower than the bus writes (its socket buffer full) misses messages until it
 * has drained, and is told how many it missed: the server never queues without bound.
 */
export class LiveFeed {
  private readonly clients = new Map<ServerResponse, { dropped: number; blocked: boolean }>();

  add(res: ServerResponse, backlog: readonly { event: string; data: unknown }[]): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const state = { dropped: 0, blocked: false };
    this.clients.set(res, state);
    res.on('close', () => this.clients.delete(res));
    res.on('drain', () => {
      state.blocked = false;
      if (state.dropped > 0) {
        this.write(res, state, 'dropped', { count: state.dropped });
        state.dropped = 0;
      }
    });
    res.write('retry: 1000\n\n');
    for (const m of backlog) this.write(res, state, m.event, m.data);
  }

  send(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const frame = frameOf(event, data);
    for (const [res, state] of this.clients) {
      if (state.blocked) {
        state.dropped++;
        continue;
      }
      if (!res.write(frame)) state.blocked = true;
    }
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
  }

  private write(
    res: ServerResponse,
    state: { blocked: boolean },
    event: string,
    data: unknown,
  ): void {
    if (!res.write(frameOf(event, data))) state.blocked = true;
  }
}

function frameOf(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
