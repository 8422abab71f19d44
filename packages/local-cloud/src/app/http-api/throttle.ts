/**
 * Stage throttling as API Gateway applies it: one token bucket per route,
 * sized by the route's RouteSettings or else the stage's DefaultRouteSettings
 * (burst = capacity, rate = tokens added per second). A request takes a
 * token or is refused with 429 before any integration runs.
 */
export interface ThrottleSettings {
  readonly burstLimit?: number;
  readonly rateLimit?: number;
}

interface Bucket {
  tokens: number;
  last: number;
}

export class StageThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly defaults: ThrottleSettings,
    private readonly perRoute: Readonly<Record<string, ThrottleSettings>>,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** True if the request may go on. */
  take(routeKey: string): boolean {
    const s = { ...this.defaults, ...this.perRoute[routeKey] };
    if (s.burstLimit === undefined && s.rateLimit === undefined) return true;
    const capacity = s.burstLimit ?? Number.POSITIVE_INFINITY;
    const rate = s.rateLimit ?? Number.POSITIVE_INFINITY;
    const t = this.now();
    let b = this.buckets.get(routeKey);
    if (!b) this.buckets.set(routeKey, (b = { tokens: capacity, last: t }));
    // A clock set back (NTP, a test's fake time) refills nothing rather than draining the bucket.
    b.tokens = Math.min(capacity, b.tokens + (Math.max(0, t - b.last) / 1000) * rate);
    b.last = t;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
