import type { RecordedEvent, Recorder } from './types.js';

/** In-memory log of API calls and bus events; bounded so a long run cannot grow without limit. */
export class MemoryRecorder implements Recorder {
  private readonly calls: Record<string, Record<string, number>> = {};
  private readonly log: RecordedEvent[] = [];
  private readonly listeners = new Set<(event: RecordedEvent) => void>();
  private seq = 0;
  private total = 0;

  constructor(private readonly maxEvents = 200_000) {}

  countCall(service: string, action: string): void {
    const byAction = (this.calls[service] ??= {});
    byAction[action] = (byAction[action] ?? 0) + 1;
  }

  recordEvent(e: Omit<RecordedEvent, 'seq'>): void {
    this.total++;
    const recorded = { ...e, seq: ++this.seq };
    this.log.push(recorded);
    if (this.log.length > this.maxEvents) this.log.splice(0, this.log.length - this.maxEvents);
    for (const listener of this.listeners) listener(recorded);
  }

  subscribe(listener: (event: RecordedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  metrics() {
    return { calls: structuredClone(this.calls), eventsPut: this.total };
  }

  events(filter: { since?: number; correlationId?: string } = {}): RecordedEvent[] {
    return this.log.filter((e) => {
      if (filter.since !== undefined && e.seq <= filter.since) return false;
      if (filter.correlationId !== undefined) {
        const detail = e.event['detail'] as { metadata?: { correlationId?: string } } | undefined;
        if (detail?.metadata?.correlationId !== filter.correlationId) return false;
      }
      return true;
    });
  }
}
