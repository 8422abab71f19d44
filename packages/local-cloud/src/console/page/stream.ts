import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleEvent } from '../journey.js';
import type { RecordedInvocation } from '../recent-invocations.js';
import type { Stats } from './types.js';

/** Events the page keeps: older ones fall off, so a long run never grows the page. */
export const MAX_EVENTS = 500;

export interface Live {
  events: ConsoleEvent[];
  stats: Stats | undefined;
  connected: boolean;
  /** Messages the server skipped because the page read too slowly. */
  dropped: number;
  /** Bumped on every bus event or invocation: journeys refresh on it. */
  lastCorrelationId: { id: string; n: number } | undefined;
}

/** How often buffered arrivals are applied: ten renders a second, whatever the event rate. */
const FLUSH_MS = 100;

/**
 * The console's server-sent events. Arrivals are buffered and applied every FLUSH_MS, so 100
 * events a second cost ten renders, not a hundred.
 */
export function useLive(paused: boolean): Live {
  const [events, setEvents] = useState<ConsoleEvent[]>([]);
  const [stats, setStats] = useState<Stats>();
  const [connected, setConnected] = useState(false);
  const [dropped, setDropped] = useState(0);
  const [last, setLast] = useState<Live['lastCorrelationId']>();
  const pending = useRef<ConsoleEvent[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  /** Puts the buffered arrivals on top of the list, newest first, keeping MAX_EVENTS. */
  const apply = () => {
    const batch = pending.current.splice(0);
    if (batch.length > 0) setEvents((old) => [...batch.reverse(), ...old].slice(0, MAX_EVENTS));
  };

  useEffect(() => {
    const source = new EventSource('/_console/api/stream');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let n = 0;
    const flush = () => {
      timer = undefined;
      if (!pausedRef.current) apply();
    };
    const schedule = () => {
      timer ??= setTimeout(flush, FLUSH_MS);
    };
    const touched = (id: string | undefined) => {
      if (id) setLast({ id, n: ++n });
    };
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('bus', (m) => {
      const e = JSON.parse((m as MessageEvent<string>).data) as ConsoleEvent;
      pending.current.push(e);
      if (pending.current.length > MAX_EVENTS)
        pending.current.splice(0, pending.current.length - MAX_EVENTS);
      touched(e.correlationId);
      schedule();
    });
    source.addEventListener('invocation', (m) => {
      touched((JSON.parse((m as MessageEvent<string>).data) as RecordedInvocation).correlationId);
    });
    source.addEventListener('stats', (m) =>
      setStats(JSON.parse((m as MessageEvent<string>).data) as Stats),
    );
    source.addEventListener('dropped', (m) =>
      setDropped(
        (d) => d + (JSON.parse((m as MessageEvent<string>).data) as { count: number }).count,
      ),
    );
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, []);

  // Resuming shows what arrived while paused.
  useEffect(() => {
    if (!paused) apply();
  }, [paused]);

  return { events, stats, connected, dropped, lastCorrelationId: last };
}

/** GET a console API path as JSON; an error answer throws its message. */
export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  const body = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) throw new Error(body.message ?? `${res.status} from ${path}`);
  return body;
}
