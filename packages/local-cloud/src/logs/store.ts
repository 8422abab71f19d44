/**
 * CloudWatch Logs' data, kept in memory: log groups, their streams and events.
 * Functions' output and the HTTP API's access logs are appended here; the Logs
 * API on the edge (and `aws logs tail`) reads it. Bounded per group, oldest first out,
 * because a long local run must not grow without limit.
 */
export interface LogEvent {
  readonly timestamp: number; // ms since the epoch, as CloudWatch Logs keeps it
  readonly message: string;
  readonly ingestionTime: number;
  /** Order of arrival across the store: the event's id, and where paging resumes. */
  readonly seq: number;
}

export interface LogStream {
  readonly logStreamName: string;
  readonly creationTime: number;
  readonly events: LogEvent[];
}

export interface LogGroup {
  readonly logGroupName: string;
  readonly creationTime: number;
  retentionInDays: number | undefined;
  readonly streams: Map<string, LogStream>;
  /** Events in the group, all streams together. */
  storedEvents: number;
}

type Listener = (group: string, stream: string, event: LogEvent) => void;

export class LogStore {
  private readonly groups = new Map<string, LogGroup>();
  private readonly listeners = new Set<Listener>();
  private seq = 0;

  constructor(private readonly maxEventsPerGroup = 50_000) {}

  /** Creates the group if needed (as a function's first write does on AWS). */
  group(logGroupName: string, retentionInDays?: number): LogGroup {
    let g = this.groups.get(logGroupName);
    if (!g) {
      g = {
        logGroupName,
        creationTime: Date.now(),
        retentionInDays,
        streams: new Map(),
        storedEvents: 0,
      };
      this.groups.set(logGroupName, g);
    } else if (retentionInDays !== undefined) g.retentionInDays = retentionInDays;
    return g;
  }

  has(logGroupName: string): boolean {
    return this.groups.has(logGroupName);
  }

  get(logGroupName: string): LogGroup | undefined {
    return this.groups.get(logGroupName);
  }

  list(): LogGroup[] {
    return [...this.groups.values()].sort((a, b) => a.logGroupName.localeCompare(b.logGroupName));
  }

  delete(logGroupName: string): boolean {
    return this.groups.delete(logGroupName);
  }

  /** Appends one line; the stream is created on first use. */
  append(
    logGroupName: string,
    logStreamName: string,
    message: string,
    timestamp = Date.now(),
  ): void {
    const g = this.group(logGroupName);
    let s = g.streams.get(logStreamName);
    if (!s) {
      s = { logStreamName, creationTime: Date.now(), events: [] };
      g.streams.set(logStreamName, s);
    }
    const event: LogEvent = { timestamp, message, ingestionTime: Date.now(), seq: ++this.seq };
    s.events.push(event);
    g.storedEvents++;
    if (g.storedEvents > this.maxEventsPerGroup) this.evictOldest(g);
    for (const l of this.listeners) l(logGroupName, logStreamName, event);
  }

  /** Called for every appended event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private evictOldest(g: LogGroup): void {
    let oldest: LogStream | undefined;
    for (const s of g.streams.values()) {
      const first = s.events[0];
      if (first && (!oldest || first.timestamp < oldest.events[0]!.timestamp)) oldest = s;
    }
    if (oldest) {
      oldest.events.shift();
      g.storedEvents--;
    }
  }
}
