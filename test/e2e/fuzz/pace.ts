/**
 * Paces the fuzz's requests to the throttled routes (infra/shop.ts
 * ROUTE_THROTTLES: POST /orders 20/s burst 40, the carrier webhook 10/s burst
 * 20). Paced rather than letting 429s through, so every reply still has to
 * name the fault it was sent with.
 */
import type { RawRequest } from './http.js';

interface Lane {
  matches(req: RawRequest): boolean;
  /** Three quarters of the route's rate: the burst is never drawn on. */
  intervalMs: number;
  nextAt: number;
}

const post = (req: RawRequest) => req.method.toUpperCase() === 'POST';

const lanes: Lane[] = [
  {
    matches: (req) => post(req) && /^\/orders(\?|$)/.test(req.path),
    intervalMs: 1000 / 15,
    nextAt: 0,
  },
  {
    // Any POST under /shipments/: a fuzzed shipment id may still match the route.
    matches: (req) => post(req) && req.path.startsWith('/shipments/'),
    intervalMs: 1000 / 7.5,
    nextAt: 0,
  },
];

/** Waits until `req` may go without tripping its route's throttle; at once for the others. */
export async function paced(req: RawRequest): Promise<void> {
  const lane = lanes.find((l) => l.matches(req));
  if (!lane) return;
  const now = Date.now();
  const at = Math.max(now, lane.nextAt);
  lane.nextAt = at + lane.intervalMs;
  if (at > now) await new Promise((r) => setTimeout(r, at - now));
}
