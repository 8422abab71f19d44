import type { RecordedEvent } from '../shared/local.js';

/** One event of an order's journey, with the events it caused. */
export interface TraceEvent {
  /** The envelope's metadata.eventId (the dedup key), else EventBridge's id. */
  readonly eventId: string;
  readonly busEventId: string;
  readonly causationId?: string;
  readonly source: string;
  /** `shop.orders` -> `orders`. */
  readonly service: string;
  readonly detailType: string;
  readonly occurredAt?: string;
  /** When the bus first accepted it. */
  readonly receivedAt: string;
  readonly bus: string;
  /** Rules it matched when first put, and so where it was delivered. */
  readonly rules: readonly string[];
  /** Times it was put on the bus (more than 1 when a publisher retried: at-least-once). */
  readonly published: number;
  /** Replays that put it on the bus again. */
  readonly replays: readonly string[];
  /** Its cause is not an event of this journey (an HTTP request, or not in the log). */
  readonly root: boolean;
  readonly depth: number;
  readonly children: TraceEvent[];
}

interface Mutable extends Omit<TraceEvent, 'depth' | 'children' | 'root' | 'replays'> {
  depth: number;
  root: boolean;
  children: Mutable[];
  replays: string[];
  published: number;
  seq: number;
}

/**
 * Builds the causation forest of one journey: copies of one event (retried
 * publishes, replays) are folded into one, and each event hangs under the
 * event whose eventId is its causationId. Siblings are in the order the bus
 * received them.
 */
export function buildTimeline(records: readonly RecordedEvent[]): TraceEvent[] {
  const byId = new Map<string, Mutable>();
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    const e = r.event;
    const detail = (e['detail'] ?? {}) as { metadata?: Record<string, unknown> };
    const meta = detail.metadata ?? {};
    const eventId = str(meta['eventId']) ?? str(e['id']) ?? `seq-${r.seq}`;
    const replay = str(e['replay-name']);
    const existing = byId.get(eventId);
    if (existing) {
      if (replay !== undefined) existing.replays.push(replay);
      else existing.published++;
      continue;
    }
    const source = str(e['source']) ?? '?';
    const causationId = str(meta['causationId']);
    const occurredAt = str(meta['occurredAt']);
    byId.set(eventId, {
      eventId,
      busEventId: str(e['id']) ?? '?',
      ...(causationId !== undefined && { causationId }),
      source,
      service: source.replace(/^shop\./, ''),
      detailType: str(e['detail-type']) ?? '?',
      ...(occurredAt !== undefined && { occurredAt }),
      receivedAt: r.receivedAt,
      bus: r.eventBusName,
      rules: r.matchedRules,
      published: replay === undefined ? 1 : 0,
      replays: replay === undefined ? [] : [replay],
      root: true,
      depth: 0,
      children: [],
      seq: r.seq,
    });
  }

  const all = [...byId.values()].sort((a, b) => a.seq - b.seq);
  for (const e of all) {
    const parent = e.causationId === undefined ? undefined : byId.get(e.causationId);
    if (parent && parent !== e) {
      parent.children.push(e);
      e.root = false;
    }
  }
  const roots = all.filter((e) => e.root);
  // Causation cannot loop in a real journey; if ids were reused, break the loop at the oldest.
  const placed = new Set<Mutable>();
  const visit = (e: Mutable, depth: number) => {
    placed.add(e);
    e.depth = depth;
    e.children = e.children.filter((c) => !placed.has(c));
    for (const c of e.children) visit(c, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  for (const e of all) {
    if (placed.has(e)) continue;
    e.root = true;
    roots.push(e);
    visit(e, 0);
  }
  return roots.map(strip);
}

function strip(e: Mutable): TraceEvent {
  const { seq: _seq, children, ...rest } = e;
  return { ...rest, children: children.map(strip) };
}

/** Every event of the forest, depth first (the order the tree is drawn in). */
export function flatten(roots: readonly TraceEvent[]): TraceEvent[] {
  return roots.flatMap((r) => [r, ...flatten(r.children)]);
}

/** Every event in the order the bus received them. */
export function chronological(roots: readonly TraceEvent[]): TraceEvent[] {
  return flatten(roots).sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
}

/** Tree prefixes (`├─ `, `│  └─ `) for each event of `flatten(roots)`, in the same order. */
export function treePrefixes(roots: readonly TraceEvent[]): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly TraceEvent[], indent: string, top: boolean) => {
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      out.push(top ? '' : `${indent}${last ? '└─ ' : '├─ '}`);
      walk(node.children, top ? '' : `${indent}${last ? '   ' : '│  '}`, false);
    });
  };
  walk(roots, '', true);
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
