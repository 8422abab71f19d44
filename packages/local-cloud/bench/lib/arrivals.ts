/**
 * Tracks messages expected on several queues: when each copy arrived, relative to when it
 * was sent, and when every expected copy is in.
 */
export class Arrivals {
  private readonly pending = new Map<string, { sentAt: number; left: number; ms: number[] }>();
  private readonly done = new Map<string, number[]>();
  private idle: { resolve: () => void; reject: (e: Error) => void } | undefined;

  expect(id: string, sentAt: number, copies: number): void {
    this.pending.set(id, { sentAt, left: copies, ms: [] });
  }

  arrived(id: string, at: number): void {
    const p = this.pending.get(id);
    if (!p) return; // a message from an earlier, already finished run
    p.ms.push(at - p.sentAt);
    if (--p.left > 0) return;
    this.pending.delete(id);
    this.done.set(id, p.ms);
    if (this.pending.size === 0) this.idle?.resolve();
  }

  /** Resolves when nothing is pending; rejects after `timeoutMs` naming what is missing. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.idle = { resolve, reject };
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `${this.pending.size} messages still undelivered after ${timeoutMs} ms (e.g. ${[...this.pending.keys()][0]}); the delivery path lost or stalled them.`,
              ),
            ),
          timeoutMs,
        );
      });
    } finally {
      clearTimeout(timer);
      this.idle = undefined;
    }
  }

  /** Latencies (ms) of every copy of the finished messages, and forgets them. */
  take(): number[][] {
    const out = [...this.done.values()];
    this.done.clear();
    return out;
  }
}
