import { carrierSignature } from '../carrier/sign.js';
import type { DemoUserName, SignIn } from '../shop/sign-in.js';

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export interface HttpPolicy {
  /** Attempts of a call answered 5xx / 429 / not at all. */
  attempts: number;
  /** Abort one attempt after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpStats {
  calls: number;
  /** Calls that needed more than one attempt. */
  retried: number;
  /** Attempts that failed (5xx, 429, no answer). */
  failedAttempts: number;
  /** Attempts answered 429 (POST /orders's throttle), each retried. */
  throttled: number;
}

/**
 * A client that behaves like a careful shop client under faults: a 5xx, 429
 * or network error is retried with the same request (and so the same
 * Idempotency-Key) after a jittered backoff; a 2xx, 3xx or 4xx is an answer.
 * `as(user)` is the same client signed in as a demo user: every attempt
 * carries their bearer token (cached by `signIn`, refreshed before it expires).
 */
export class ShopHttp {
  constructor(
    readonly apiUrl: string,
    private readonly policy: HttpPolicy,
    private readonly signIn?: SignIn,
    /** Who calls; undefined sends no token (the public product read, the signed carrier webhook). */
    readonly user?: DemoUserName,
    readonly stats: HttpStats = { calls: 0, retried: 0, failedAttempts: 0, throttled: 0 },
  ) {}

  /** This client, calling as `user` (stats shared). */
  as(user: DemoUserName): ShopHttp {
    if (!this.signIn)
      throw new Error(`This client has no sign-in, so it cannot call as ${user}; give it one.`);
    return new ShopHttp(this.apiUrl, this.policy, this.signIn, user, this.stats);
  }

  /** This client without a token (stats shared). */
  anonymous(): ShopHttp {
    return new ShopHttp(this.apiUrl, this.policy, this.signIn, undefined, this.stats);
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    this.stats.calls++;
    let last = '';
    for (let attempt = 1; attempt <= this.policy.attempts; attempt++) {
      if (this.policy.signal?.aborted) throw new Error(`Interrupted during ${method} ${path}.`);
      try {
        const authorization: Record<string, string> =
          this.user && this.signIn
            ? { authorization: `Bearer ${await this.signIn.token(this.user)}` }
            : {};
        const reply = await once(
          `${this.apiUrl}${path}`,
          method,
          body,
          { ...headers, ...authorization },
          this.policy,
        );
        if (reply.status < 500 && reply.status !== 429) {
          if (attempt > 1) this.stats.retried++;
          return reply;
        }
        if (reply.status === 429) this.stats.throttled++;
        last = `${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`;
      } catch (error) {
        last = (error as Error).message;
      }
      this.stats.failedAttempts++;
      await sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random()));
    }
    throw new Error(
      `${method} ${path}${this.user ? ` as ${this.user}` : ''} failed ${this.policy.attempts} times; last answer: ${last}. ` +
        `Is the shop up at ${this.apiUrl}?`,
    );
  }
}

async function once(
  url: string,
  method: string,
  body: unknown,
  headers: Record<string, string>,
  policy: HttpPolicy,
): Promise<Reply> {
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: policy.signal ? AbortSignal.any([timeout, policy.signal]) : timeout,
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { raw: text.slice(0, 500) };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** A carrier webhook call, signed as the carrier signs it (header x-carrier-signature). */
export function carrierRequest(
  secret: string,
  shipmentId: string,
  type: 'DISPATCHED' | 'DELIVERED',
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    eventId: `carrier-${shipmentId}-${type}`,
    type,
    carrier: 'ACME Parcel',
    trackingNumber: `TRK-${shipmentId.slice(-8)}`,
    occurredAt: new Date().toISOString(),
  });
  return {
    body,
    headers: {
      'x-carrier-signature': carrierSignature(secret, {
        method: 'POST',
        path: `/shipments/${shipmentId}/events`,
        body,
      }),
    },
  };
}

/** JSON GET/POST to a control endpoint (provider, local cloud); errors name the call. */
export async function controlCall<T>(
  url: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed as T };
}
