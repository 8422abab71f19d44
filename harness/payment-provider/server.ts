import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { ProviderBooks, chargeBody, error, refundBody, type Answer, type Ledger } from './model.js';
import { seededRandom } from './random.js';

/*
 * Payment provider simulator: a small card-payments API that behaves like a
 * real provider's sandbox, for local runs and tests.
 *
 * API (JSON in and out; errors are `{ error: { code, message, param? } }`)
 *   POST /v1/charges   {amount_cents, currency, token, order_id}   header Idempotency-Key (required)
 *     201 {id: "ch_...", object: "charge", status: "succeeded", amount_cents, currency, order_id, ...}
 *         for token tok_approve (unless the declineRate draw declines it)
 *     402 {error: {code: "card_declined" | "insufficient_funds" | "invalid_token", message}}
 *         for tok_decline, tok_insufficient_funds, or any other token
 *     400 bad body (unknown or invalid field, named in `param`) or missing Idempotency-Key
 *   POST /v1/refunds   {charge_id, amount_cents?}   header Idempotency-Key (required)
 *     201 {id: "re_...", object: "refund", status: "succeeded", charge_id, amount_cents}
 *     404 unknown charge; 400 amount_too_large / charge_already_refunded
 *   GET  /v1/charges/:id   200 the charge (with amount_refunded_cents), 404 unknown
 *
 * Idempotency: the same Idempotency-Key with the same method, path and body
 * replays the first answer (header `Idempotent-Replayed: true`) and never
 * charges twice; the same key with another request is a 409
 * idempotency_key_reused. Answers are stored once the request passed validation.
 *
 * Faults, for chaos runs (none apply to the /_ endpoints):
 *   mode "down"   every API call answers 503 at once, nothing happens
 *   failNext n    the next n API calls answer 500 before doing anything
 *   failureRate   probability of such a 500 on each API call
 *   declineRate   probability that a tok_approve charge is declined (card_declined)
 *   latencyMs     delay before each answer; the work is done first, so a client
 *                 that times out leaves a charge behind and must retry with its key
 *
 * Control and inspection (not part of the provider's API):
 *   GET  /_control             current settings
 *   POST /_control  {mode?, latencyMs?, failureRate?, declineRate?, failNext?}   change some, answers all
 *   GET  /_ledger              per order: charged_cents, refunded_cents, charges, refunds; totals; request counts
 *   POST /_reset               forget every charge, refund and key; settings and seed back to the start
 *
 * Randomness (ids, failure and decline draws) comes from `seed`, so a run with
 * the same seed and the same order of requests gets the same answers.
 */

export const controlSchema = z.strictObject({
  mode: z.enum(['up', 'down']),
  latencyMs: z.number().int().min(0).max(60_000),
  failureRate: z.number().min(0).max(1),
  declineRate: z.number().min(0).max(1),
  failNext: z.number().int().min(0),
});
export type ProviderControl = z.infer<typeof controlSchema>;

const DEFAULT_CONTROL: ProviderControl = {
  mode: 'up',
  latencyMs: 0,
  failureRate: 0,
  declineRate: 0,
  failNext: 0,
};

export interface RequestCounts {
  /** Calls to /v1 endpoints, including failed and replayed ones. */
  total: number;
  replayed: number;
  /** Answered 500/503 by fault injection. */
  failed: number;
}

export type LedgerView = Ledger & { requests: RequestCounts };

export interface PaymentProviderOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  control?: Partial<ProviderControl>;
  /** One line per API request, e.g. console.log in the CLI. */
  log?: (line: string) => void;
}

export interface PaymentProvider {
  url: string;
  port: number;
  stop(): Promise<void>;
  control: {
    get(): ProviderControl;
    set(patch: Partial<ProviderControl>): ProviderControl;
    ledger(): LedgerView;
    reset(): void;
  };
}

const MAX_BODY_BYTES = 64 * 1024;

function parseControl(value: unknown): ProviderControl {
  const parsed = controlSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (i) => `${i.path.join('.') || '(control)'}: ${i.message}`,
  );
  throw new Error(`Invalid payment provider control: ${problems.join('; ')}`);
}

export async function startPaymentProvider(
  options: PaymentProviderOptions = {},
): Promise<PaymentProvider> {
  const seed = options.seed ?? 1;
  const initial = parseControl({ ...DEFAULT_CONTROL, ...options.control });
  let control = { ...initial };
  let random = seededRandom(seed);
  let books = new ProviderBooks(() => random());
  let requests: RequestCounts = { total: 0, replayed: 0, failed: 0 };
  const pending = new Set<{ timer: NodeJS.Timeout; done: () => void }>();

  const api = {
    get: () => ({ ...control }),
    set(patch: Partial<ProviderControl>) {
      control = parseControl({ ...control, ...patch });
      return { ...control };
    },
    ledger: (): LedgerView => ({ ...books.ledger(), requests: { ...requests } }),
    reset() {
      control = { ...initial };
      random = seededRandom(seed);
      books = new ProviderBooks(() => random());
      requests = { total: 0, replayed: 0, failed: 0 };
    },
  };

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const entry = {
        timer: setTimeout(() => {
          pending.delete(entry);
          resolve();
        }, ms),
        done: resolve,
      };
      pending.add(entry);
    });

  async function providerApi(method: string, path: string, req: IncomingMessage, raw: string) {
    requests.total++;
    if (control.mode === 'down') {
      requests.failed++;
      return error(503, 'service_unavailable', 'The payment provider is down; retry later.');
    }
    const failNow =
      control.failNext > 0 || (control.failureRate > 0 && random() < control.failureRate);
    if (failNow) {
      if (control.failNext > 0) control.failNext--;
      requests.failed++;
      await delay(control.latencyMs);
      return error(500, 'api_error', 'The payment provider had an internal error; retry later.');
    }
    const answer = route(method, path, req, raw);
    if (answer.replayed) requests.replayed++;
    await delay(control.latencyMs);
    return answer;
  }

  function route(method: string, path: string, req: IncomingMessage, raw: string): Answer {
    const charge = /^\/v1\/charges\/([^/]+)$/.exec(path);
    if (charge) {
      if (method !== 'GET') return notAllowed(method, path, 'GET');
      return books.getCharge(decodeURIComponent(charge[1]!));
    }
    if (path !== '/v1/charges' && path !== '/v1/refunds') return notFound(method, path);
    if (method !== 'POST') return notAllowed(method, path, 'POST');

    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      return error(
        400,
        'idempotency_key_required',
        'Send an Idempotency-Key header (1-255 characters) with every POST, so a retry can never charge twice.',
        'Idempotency-Key',
      );
    }
    const body = parseJson(raw);
    if (!body.ok) return body.answer;
    const schema = path === '/v1/charges' ? chargeBody : refundBody;
    const parsed = schema.safeParse(body.value);
    if (!parsed.success) return invalid(parsed.error);

    const fingerprint = `${method} ${path} ${canonical(parsed.data)}`;
    return books.idempotent(key, fingerprint, () =>
      path === '/v1/charges'
        ? books.charge(parsed.data as z.infer<typeof chargeBody>, control.declineRate)
        : books.refund(parsed.data as z.infer<typeof refundBody>),
    );
  }

  function controlApi(method: string, path: string, raw: string): Answer {
    if (path === '/_control') {
      if (method === 'GET') return { status: 200, body: api.get() };
      if (method !== 'POST') return notAllowed(method, path, 'GET, POST');
      const body = parseJson(raw);
      if (!body.ok) return body.answer;
      const parsed = controlSchema.partial().safeParse(body.value);
      if (!parsed.success) return invalid(parsed.error);
      return { status: 200, body: api.set(parsed.data) };
    }
    if (path === '/_ledger') {
      return method === 'GET'
        ? { status: 200, body: api.ledger() }
        : notAllowed(method, path, 'GET');
    }
    if (path === '/_reset') {
      if (method !== 'POST') return notAllowed(method, path, 'POST');
      api.reset();
      return { status: 200, body: { reset: true } };
    }
    return notFound(method, path);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://provider').pathname;
    const raw = await readBody(req);
    let answer: Answer;
    if (raw === undefined) {
      answer = error(413, 'body_too_large', `Request body exceeds ${MAX_BODY_BYTES} bytes.`);
    } else if (path.startsWith('/_')) {
      answer = controlApi(method, path, raw);
    } else {
      answer = await providerApi(method, path, req, raw);
      options.log?.(
        `${method} ${path} -> ${answer.status}${answer.replayed ? ' (replayed)' : ''} key=${String(req.headers['idempotency-key'] ?? '-')}`,
      );
    }
    if (res.destroyed) return; // the client gave up (timed out) while we were slow
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (answer.replayed) headers['idempotent-replayed'] = 'true';
    res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify(error(500, 'simulator_error', String(err)).body));
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    control: api,
    async stop() {
      for (const entry of pending) {
        clearTimeout(entry.timer);
        entry.done();
      }
      pending.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false; answer: Answer } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (e) {
    return {
      ok: false,
      answer: error(
        400,
        'invalid_json',
        `Request body is not valid JSON (${(e as Error).message}).`,
      ),
    };
  }
}

function invalid(err: z.ZodError): Answer {
  const issue = err.issues[0]!;
  const param =
    issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.map(String).join('.');
  return error(
    400,
    'parameter_invalid',
    err.issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; '),
    param || undefined,
  );
}

function notFound(method: string, path: string): Answer {
  return error(404, 'not_found', `No route ${method} ${path}.`);
}

function notAllowed(method: string, path: string, allowed: string): Answer {
  return error(405, 'method_not_allowed', `${method} is not allowed on ${path}; use ${allowed}.`);
}

/** JSON with sorted keys, so the same request in another key order has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
