import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import * as z from 'zod';
import { logger } from '#plumbing/powertools.js';
import type { Charge, ChargeOutcome, Refund } from '../ports.js';

/*
 * The HTTP client of the payment provider (API: local/payment-provider/server.ts).
 * Resilience comes from cockatiel rather than hand-written loops: per attempt a
 * timeout (its AbortSignal cancels the fetch), retries with decorrelated-jitter
 * exponential backoff, and a circuit breaker that fails fast while the provider
 * is down. Only transient failures (timeout, network error, 5xx, 429) are
 * retried and counted by the breaker; retrying a charge is safe because every
 * attempt carries the same Idempotency-Key.
 */

/** The provider could not be reached or answer in time, or the circuit is open: try again later. */
export class ProviderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderUnavailableError';
  }
}

/** The provider refused the request itself (4xx other than a decline): retrying will not help. */
export class ProviderRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ProviderRequestError';
  }
}

/** A 5xx/429 answer, thrown inside the policy so retry and breaker see it as a failure. */
class TransientHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`provider answered ${status}: ${body.slice(0, 200)}`);
    this.name = 'TransientHttpError';
  }
}

function isTransient(error: unknown): boolean {
  // instanceof, not cockatiel's isTaskCancelledError: in 3.2.1 that guard tests the wrong flag.
  if (error instanceof TaskCancelledError || error instanceof TransientHttpError) return true;
  if (error instanceof BrokenCircuitError) return false;
  // fetch rejects with TypeError('fetch failed') on network errors, and AbortError/TimeoutError on abort.
  return (
    error instanceof TypeError ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
  );
}

export interface ProviderClientOptions {
  /** Base URL of the provider, e.g. http://127.0.0.1:4010 */
  baseUrl: string;
  /** Per attempt. Default 2000. */
  timeoutMs?: number;
  /** Attempts after the first one, on transient failures only. Default 2. */
  retries?: number;
  /** First backoff delay; later ones grow exponentially with jitter up to maxDelayMs. Default 100. */
  initialDelayMs?: number;
  /** Default 2000. */
  maxDelayMs?: number;
  /** Consecutive failed attempts that open the circuit. Default 5. */
  breakerThreshold?: number;
  /** How long the circuit stays open before one trial call. Default 10000. */
  halfOpenAfterMs?: number;
  fetch?: typeof fetch;
}

const chargeAnswer = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  status: z.string(),
});
const refundAnswer = z.object({ id: z.string().min(1), status: z.string() });
const errorAnswer = z.object({
  error: z.object({ code: z.string().min(1).max(100), message: z.string().optional() }),
});

interface Answer {
  status: number;
  text: string;
}

export function createProviderClient(options: ProviderClientOptions) {
  const fetchFn = options.fetch ?? fetch;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const timeoutMs = options.timeoutMs ?? 2000;
  const transient = handleWhen(isTransient);

  const retryPolicy = retry(transient, {
    // cockatiel's maxAttempts counts retries, not calls.
    maxAttempts: options.retries ?? 2,
    backoff: new ExponentialBackoff({
      initialDelay: options.initialDelayMs ?? 100,
      maxDelay: options.maxDelayMs ?? 2000,
    }),
  });
  const breaker = circuitBreaker(transient, {
    halfOpenAfter: options.halfOpenAfterMs ?? 10_000,
    breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
  });
  const perAttempt = timeout(timeoutMs, TimeoutStrategy.Aggressive);
  // Outermost first: every retry goes through the breaker, each attempt has its own timeout.
  const policy = wrap(retryPolicy, breaker, perAttempt);

  retryPolicy.onRetry((e) =>
    logger.warn('Payment provider call failed; retrying', {
      attempt: e.attempt,
      delayMs: Math.round(e.delay),
      error: 'error' in e ? String(e.error) : undefined,
    }),
  );
  breaker.onBreak(() => logger.error('Payment provider circuit opened; failing fast'));
  breaker.onReset(() => logger.info('Payment provider circuit closed again'));

  async function post(path: string, idempotencyKey: string, body: unknown): Promise<Answer> {
    const url = new URL(path, base);
    let attempts = 0;
    try {
      return await policy.execute(async ({ signal }) => {
        attempts++;
        const res = await fetchFn(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify(body),
          signal,
        });
        const text = await res.text();
        if (res.status >= 500 || res.status === 429) throw new TransientHttpError(res.status, text);
        return { status: res.status, text };
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new ProviderUnavailableError(
          `Payment provider circuit is open after repeated failures; not calling POST ${url.pathname}. The message will be retried later.`,
          { cause: error },
        );
      }
      if (isTransient(error)) {
        const what =
          error instanceof TaskCancelledError ? `timed out after ${timeoutMs} ms` : String(error);
        throw new ProviderUnavailableError(
          `Payment provider POST ${url.pathname} failed after ${attempts} attempt(s): ${what}. The message will be retried later.`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  function parse<S extends z.ZodType>(schema: S, answer: Answer, what: string): z.infer<S> {
    const parsed = schema.safeParse(safeJson(answer.text));
    if (!parsed.success) {
      throw new ProviderRequestError(
        `Payment provider answered ${what} with ${answer.status} and an unexpected body: ${answer.text.slice(0, 200)}`,
        answer.status,
      );
    }
    return parsed.data;
  }

  function rejected(answer: Answer, what: string): ProviderRequestError {
    const parsed = errorAnswer.safeParse(safeJson(answer.text));
    const code = parsed.success ? parsed.data.error.code : undefined;
    const message = parsed.success ? parsed.data.error.message : answer.text.slice(0, 200);
    return new ProviderRequestError(
      `Payment provider rejected ${what} with ${answer.status}${code ? ` ${code}` : ''}: ${message ?? ''}`,
      answer.status,
      code,
    );
  }

  const charge: Charge = async (req): Promise<ChargeOutcome> => {
    const what = `the charge of order ${req.orderId}`;
    const answer = await post('v1/charges', req.orderId, {
      amount_cents: req.amountCents,
      currency: req.currency,
      token: req.token,
      order_id: req.orderId,
    });
    if (answer.status === 402) {
      const parsed = errorAnswer.safeParse(safeJson(answer.text));
      return {
        outcome: 'declined',
        code: parsed.success ? parsed.data.error.code : 'card_declined',
        message:
          (parsed.success ? parsed.data.error.message : undefined) ?? 'The card was declined.',
      };
    }
    if (answer.status < 200 || answer.status > 299) throw rejected(answer, what);
    const body = parse(chargeAnswer, answer, what);
    if (body.status !== 'succeeded') {
      throw new ProviderRequestError(
        `Payment provider answered ${what} with status "${body.status}"; only "succeeded" is expected.`,
        answer.status,
      );
    }
    return { outcome: 'authorized', paymentId: body.id };
  };

  const refund: Refund = async (req) => {
    const what = `the refund of order ${req.orderId} (charge ${req.paymentId})`;
    const answer = await post('v1/refunds', `refund-${req.orderId}`, {
      charge_id: req.paymentId,
      amount_cents: req.amountCents,
    });
    if (answer.status < 200 || answer.status > 299) throw rejected(answer, what);
    return { refundId: parse(refundAnswer, answer, what).id };
  };

  return { charge, refund, breaker, retry: retryPolicy };
}

export type ProviderClient = ReturnType<typeof createProviderClient>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(
      `Environment variable ${name} is "${raw}"; set it to a whole number >= ${min}.`,
    );
  }
  return value;
}

/**
 * The client configured from the environment: PAYMENT_PROVIDER_URL (required),
 * PAYMENT_PROVIDER_TIMEOUT_MS (2000), PAYMENT_PROVIDER_RETRIES (2),
 * PAYMENT_PROVIDER_BREAKER_THRESHOLD (5), PAYMENT_PROVIDER_HALF_OPEN_AFTER_MS (10000).
 */
export function providerClientFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderClient {
  const baseUrl = env.PAYMENT_PROVIDER_URL;
  if (!baseUrl || !/^https?:\/\/./.test(baseUrl)) {
    throw new Error(
      `Environment variable PAYMENT_PROVIDER_URL is "${baseUrl ?? ''}"; set it to the provider's http(s) base URL (the CDK stack passes it).`,
    );
  }
  return createProviderClient({
    baseUrl,
    timeoutMs: numberFromEnv(env, 'PAYMENT_PROVIDER_TIMEOUT_MS', 1),
    retries: numberFromEnv(env, 'PAYMENT_PROVIDER_RETRIES', 0),
    breakerThreshold: numberFromEnv(env, 'PAYMENT_PROVIDER_BREAKER_THRESHOLD', 1),
    halfOpenAfterMs: numberFromEnv(env, 'PAYMENT_PROVIDER_HALF_OPEN_AFTER_MS', 1),
  });
}
