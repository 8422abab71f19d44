import type { RecordedEvent, Recorder } from '../core/types.js';
import type { ConsoleQueues, DeadLetter } from './queues.js';
import type { RecentInvocations, RecordedInvocation } from './recent-invocations.js';
import { laneOf, laneOfLabel, type Topology } from './topology.js';

/** A bus event as the console shows it: envelope fields pulled out, plus who it went to. */
export interface ConsoleEvent {
  seq: number;
  id: string;
  receivedAt: string;
  time: string;
  source: string;
  detailType: string;
  lane: string;
  eventId?: string;
  correlationId?: string;
  causationId?: string;
  replayName?: string;
  matchedRules: string[];
  /** One line: the detail's data, key=value. */
  summary: string;
  event: Record<string, unknown>;
}

export interface Journey {
  correlationId: string;
  /** Lanes left to right: outside, the publishing services as they first publish, then consumers only. */
  lanes: string[];
  events: (ConsoleEvent & { consumers: { rule: string; lane: string; functions: string[] }[] })[];
  /** Calls from outside the bus (HTTP routes: the client, the carrier's webhook). */
  arrivals: (RecordedInvocation & { lane: string; routeKeys: string[] })[];
  invocations: (RecordedInvocation & { lane: string })[];
  deadLetters: (DeadLetter & { queue: string })[];
  /** The order as the read model has it (the host's journeyState), if any. */
  state?: unknown;
}

export const OUTSIDE = 'outside';

export function consoleEvent(e: RecordedEvent): ConsoleEvent {
  const detail = (e.event['detail'] ?? {}) as {
    metadata?: { eventId?: string; correlationId?: string; causationId?: string };
    data?: Record<string, unknown>;
  };
  const source = String(e.event['source'] ?? '');
  const replayName = e.event['replay-name'];
  return {
    seq: e.seq,
    id: String(e.event['id'] ?? ''),
    receivedAt: e.receivedAt,
    time: String(e.event['time'] ?? e.receivedAt),
    source,
    detailType: String(e.event['detail-type'] ?? ''),
    lane: laneOf(source || 'unknown'),
    ...(detail.metadata?.eventId && { eventId: detail.metadata.eventId }),
    ...(detail.metadata?.correlationId && { correlationId: detail.metadata.correlationId }),
    ...(detail.metadata?.causationId && { causationId: detail.metadata.causationId }),
    ...(typeof replayName === 'string' && { replayName }),
    matchedRules: [...e.matchedRules],
    summary: summarize(
      detail.data ?? (detail as Record<string, unknown>),
      detail.metadata?.correlationId,
    ),
    event: e.event,
  };
}

/** `amountCents=1200 currency=USD ...`: scalar fields only, each short, at most 160 characters. */
function summarize(data: Record<string, unknown>, correlationId?: string): string {
  const short = (v: unknown) => {
    const text = String(v);
    return text.length > 28 ? `${text.slice(0, 27)}…` : text;
  };
  const parts = Object.entries(data)
    .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    // The order's id is in the row already; ciphertext says nothing to a reader.
    .filter(([, v]) => v !== correlationId && !String(v).startsWith('pii:'))
    .map(([k, v]) => `${k}=${short(v)}`);
  const text = parts.join(' ');
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** Everything the console knows of one correlation id: its events, calls, dead letters and state. */
export async function journeyOf(
  correlationId: string,
  deps: {
    recorder: Recorder;
    topology: Topology;
    invocations: RecentInvocations;
    queues: ConsoleQueues;
    state?: (correlationId: string) => Promise<unknown>;
  },
): Promise<Journey> {
  const rules = new Map(deps.topology.rules().map((r) => [r.name, r]));
  const events = deps.recorder.events({ correlationId }).map((e) => {
    const ce = consoleEvent(e);
    return {
      ...ce,
      consumers: ce.matchedRules.map((name) => {
        const rule = rules.get(name);
        return {
          rule: name,
          lane: rule ? laneOf(rule.stack) : 'unknown',
          functions: rule?.consumers ?? [],
        };
      }),
    };
  });
  const entries = deps.topology.httpEntries();
  // A call from outside has its own correlation id (the request's), which the first event it
  // caused names as causationId: those calls belong to the journey too.
  const eventIds = new Set(events.map((e) => e.eventId));
  const external = [
    ...new Set(
      events.map((e) => e.causationId).filter((c): c is string => !!c && !eventIds.has(c)),
    ),
  ];
  const all = [correlationId, ...external.filter((c) => c !== correlationId)]
    .flatMap((id) => deps.invocations.of(id))
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((i) => ({ ...i, lane: laneOfLabel(i.label) }));
  const arrivals = all.flatMap((i) => {
    const routeKeys = entries.filter((e) => e.functionLabel === i.label).map((e) => e.routeKey);
    return routeKeys.length > 0 ? [{ ...i, routeKeys }] : [];
  });
  const deadLetters = deps.queues
    .list()
    .filter((q) => q.deadLetter && q.visible + q.inFlight + q.delayed > 0)
    .flatMap((q) =>
      deps.queues
        .messages(q.name, 1_000)
        .filter((m) => m.body.includes(correlationId))
        .map((m) => ({ ...m, queue: q.name })),
    );
  // Outside first, then the services that publish in the order they first do, then those that
  // only consume (read models, notifications) on the right.
  const lanes = [OUTSIDE];
  const add = (lane: string) => {
    if (!lanes.includes(lane)) lanes.push(lane);
  };
  const byTime = [...events].sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  arrivals.forEach((a) => add(a.lane));
  byTime.forEach((e) => add(e.lane));
  byTime.forEach((e) => e.consumers.forEach((c) => add(c.lane)));
  let state: unknown;
  try {
    state = await deps.state?.(correlationId);
  } catch (error) {
    state = { error: `The read model could not be read: ${(error as Error).message}` };
  }
  return {
    correlationId,
    lanes,
    events,
    arrivals,
    invocations: all,
    deadLetters,
    ...(state !== undefined && { state }),
  };
}
