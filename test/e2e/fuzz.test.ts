/**
 * Bad input everywhere: a property-based fuzz of every HTTP route of one
 * running shop. Each generated request is a well-formed one with one fault
 * (or several, in the mixed run); it must get a 4xx whose JSON names the
 * problem, never a 5xx or a hang, and a batch of them must change no item in
 * any table. A few near-valid requests check the generators also reach 2xx.
 *
 * Seeded: the seed is printed; FUZZ_SEED=<n> replays a run, FUZZ_RUNS=<n>
 * changes the runs per route.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierSignature } from '../../harness/carrier/sign.js';
import { startShop, type RunningShop } from '../../harness/shop/index.js';
import { describeRequest, toRequest, type Draft } from './fuzz/draft.js';
import type { Fault } from './fuzz/faults.js';
import { closeClient, send, type RawReply, type RawRequest } from './fuzz/http.js';
import { paced } from './fuzz/pace.js';
import { Tally, verdict, type Expectation } from './fuzz/oracle.js';
import { ADDRESS, routes, type Route, type RouteContext } from './fuzz/routes.js';
import {
  api,
  eventually,
  newProduct,
  orderStatus,
  placeOrder,
  root,
  settled,
  snapshot,
} from './shop.js';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`${name} is "${raw}"; set it to a whole number, or unset it for ${fallback}.`);
  }
  return value;
}

const seed = envNumber('FUZZ_SEED', 20_251_121);
const runs = envNumber('FUZZ_RUNS', 80);
console.log(`fuzz seed ${seed}, ${runs} runs per route (FUZZ_SEED / FUZZ_RUNS to change)`);

const sku = `FZ-STOCK-${process.pid}`;
const context: RouteContext = {
  sku,
  stamp: String(process.pid),
  shipmentId: '',
  authorization: { customer: '', operator: '' },
  customerId: '',
};
const all = routes(context);
const tally = new Tally();
let shop: RunningShop;

beforeAll(async () => {
  shop = await startShop({
    root,
    // Not bootShop's assembly: its template holds the provider's port, and
    // another e2e file may be synthesizing into that folder at the same time.
    cdkOut: join(root, '.local', 'cdk.out.e2e-fuzz'),
    port: 0,
    apiPort: 0,
    providerPort: 0,
    log: () => undefined,
    functionLog: () => undefined,
  });
  context.authorization = {
    customer: `Bearer ${await shop.signIn.token('ada')}`,
    operator: `Bearer ${await shop.signIn.token('admin')}`,
  };
  context.customerId = await shop.signIn.subjectOf('ada');
  await newProduct(shop, sku, 250, 100_000);
  const placed = await placeOrder(shop, [{ sku, quantity: 1 }], 'tok_approve', `fz-${sku}`);
  await orderStatus(shop, placed.orderId, 'CONFIRMED');
  context.shipmentId = `shp_${placed.orderId}`;
  await eventually('the shipment to be scheduled', async () => {
    const s = await api(shop, 'GET', `/shipments/${context.shipmentId}`);
    return s.body['status'] === 'SCHEDULED' ? s : undefined;
  });
}, 240_000);

/** One raw request, paced under its route's throttle. */
async function sendRaw(req: RawRequest): Promise<RawReply> {
  await paced(req);
  return send(shop.apiUrl, req);
}

/** The header of the signed-in customer (ada), or of an operator (admin). */
const asUser = (who: 'customer' | 'operator') => ({ authorization: context.authorization[who] });

afterAll(async () => {
  closeClient();
  await shop?.stop();
  console.log(`replies to generated requests, by route:\n${tally.table()}`);
});

async function sendDraft(route: string, d: Draft, what: string) {
  const req = toRequest(d, shop.webhookSecret);
  let reply: RawReply;
  try {
    reply = await sendRaw(req);
  } catch (error) {
    throw new Error(
      `${route} (${what}): no reply: ${(error as Error).message}\n  ${describeRequest(req)}`,
    );
  }
  tally.add(route, reply);
  return { req, reply };
}

/** Sends the route's request with the faults applied and checks the reply. */
async function attempt(route: Route, faults: readonly Fault[]): Promise<void> {
  const d = route.base();
  // Faults that size the body go last, so nothing changes the size they made.
  const ordered = [...faults.filter((f) => !f.sizing), ...faults.filter((f) => f.sizing)];
  const applied = ordered.filter((f) => f.apply(d));
  // Every fault made moot by an earlier one: the request may be valid; not this test's business.
  fc.pre(applied.length > 0);
  const want: Expectation = {
    expect: [...new Set(applied.flatMap((f) => f.expect))],
    names: applied.flatMap((f) => f.names),
  };
  const what = applied.map((f) => f.label).join(' + ');
  const { req, reply } = await sendDraft(route.name, d, what);
  const wrong = verdict(want, reply);
  if (wrong) {
    throw new Error(
      `${route.name} with ${what}: ${wrong}\n  ${describeRequest(req)}\n  reply ${reply.status}: ${reply.text.slice(0, 600)}`,
    );
  }
}

/** Runs `work` between two snapshots of every table, taken when the queues are quiet. */
async function writesNothing(work: () => Promise<unknown>): Promise<void> {
  await settled(shop, 500);
  const before = await snapshot(shop);
  await work();
  await settled(shop, 500);
  expect(await snapshot(shop)).toEqual(before);
}

/** The fewest distinct replies a route's faults must reach in a run: proof they are not all one branch. */
const minimumKinds = (route: Route) =>
  route.name === 'routes that do not exist'
    ? 1
    : ['POST', 'PUT'].some((m) => route.name.startsWith(m) && !route.name.endsWith('/cancel'))
      ? 4
      : 2;

describe('bad input on every route: a 4xx naming the problem, no 5xx, no write', () => {
  for (const route of all) {
    it(
      route.name,
      async () => {
        await writesNothing(() =>
          fc.assert(
            fc.asyncProperty(route.faults, (f) => attempt(route, [f])),
            { seed, numRuns: runs },
          ),
        );
        if (runs >= 30) {
          expect(tally.kinds(route.name).length, tally.table()).toBeGreaterThanOrEqual(
            minimumKinds(route),
          );
        }
      },
      120_000,
    );
  }

  it('several faults at once, on any route', async () => {
    const mixed = fc.constantFrom(...all).chain((route) =>
      fc.array(route.faults, { minLength: 2, maxLength: 3 }).map((faults) => ({
        route,
        faults,
        [fc.toStringMethod]: () => `${route.name}: ${faults.map((f) => f.label).join(' + ')}`,
      })),
    );
    await writesNothing(() =>
      fc.assert(
        fc.asyncProperty(mixed, ({ route, faults }) => attempt(route, faults)),
        { seed, numRuns: runs * 2 },
      ),
    );
  }, 120_000);

  it("POST /orders naming a customerId, even the caller's own: a 400 naming customerId", async () => {
    await writesNothing(async () => {
      for (const customerId of [context.customerId, 'cus_someone_else']) {
        const req: RawRequest = {
          method: 'POST',
          path: '/orders',
          headers: {
            'content-type': 'application/json',
            ...asUser('customer'),
            'idempotency-key': `fz-customer-in-body-${process.pid}-${customerId}`,
          },
          body: Buffer.from(
            JSON.stringify({
              customerId,
              lines: [{ sku, quantity: 1 }],
              paymentToken: 'tok_approve',
              shippingAddress: ADDRESS,
            }),
          ),
        };
        const reply = await sendRaw(req);
        tally.add('customerId in the body', reply);
        expect(
          verdict({ expect: [400], names: ['customerId'] }, reply),
          `${describeRequest(req)}\n  reply ${reply.status}: ${reply.text}`,
        ).toBeUndefined();
      }
    });
  }, 60_000);

  it('bodies over the 10 MB limit of API Gateway itself', async () => {
    const huge = Buffer.alloc(10 * 1024 * 1024 + 1, ' ');
    await writesNothing(async () => {
      for (const route of all.filter((r) => r.base().body.kind === 'json')) {
        const d = route.base();
        d.body = { kind: 'bytes', bytes: Buffer.concat([Buffer.from('{"x":1}'), huge]) };
        const { req, reply } = await sendDraft(route.name, d, 'a 10 MB body');
        expect(
          verdict({ expect: [413], names: ['too large', 'bytes'] }, reply),
          describeRequest(req),
        ).toBeUndefined();
      }
    });
  }, 60_000);
});

interface Probe {
  label: string;
  req: RawRequest;
  want: Expectation;
  /** Signed as the carrier signs, when sent. */
  signed?: boolean;
}

interface NearValid {
  label: string;
  expect: number[];
  request: () => RawRequest;
  order?: { unknownSku: boolean; token: string };
}

describe('conflicts and replays write nothing', () => {
  it('a reused Idempotency-Key, a second cancel, a delivery before dispatch, exact replays', async () => {
    const orderKey = `fz-conflict-${process.pid}`;
    const order = {
      lines: [{ sku, quantity: 1 }],
      paymentToken: 'tok_approve',
      shippingAddress: ADDRESS,
    };
    const placed = await api(shop, 'POST', '/orders', order, { 'idempotency-key': orderKey });
    expect(placed.status).toBe(202);
    const orderId = String(placed.body['orderId']);
    expect((await api(shop, 'POST', `/orders/${orderId}/cancel`)).status).toBe(202);
    const restockKey = `fz-restock-${process.pid}`;
    const restocked = await api(
      shop,
      'POST',
      `/products/${sku}/restock`,
      { quantity: 1 },
      { 'idempotency-key': restockKey },
      'admin',
    );
    expect(restocked.status).toBe(200);

    const graceAuthorization = `Bearer ${await shop.signIn.token('grace')}`;
    const json = { 'content-type': 'application/json' };
    // Every kind in every run: a tuple, not a choice.
    const cases: fc.Arbitrary<Probe[]> = fc.tuple(
      fc
        .record({
          quantity: fc.integer({ min: 2, max: 1000 }),
          // The key is the shop's, not the customer's: another customer reusing it is a 409 too.
          user: fc.constantFrom('ada', 'grace'),
        })
        .map(({ quantity, user }) => ({
          label: `POST /orders, the key again, quantity ${quantity}, as ${user}`,
          req: {
            method: 'POST',
            path: '/orders',
            headers: {
              ...json,
              authorization: user === 'ada' ? context.authorization.customer : graceAuthorization,
              'idempotency-key': orderKey,
            },
            body: Buffer.from(JSON.stringify({ ...order, lines: [{ sku, quantity }] })),
          },
          want: { expect: [409], names: ['Idempotency-Key'] },
        })),
      fc.integer({ min: 2, max: 1_000_000 }).map((quantity) => ({
        label: `restock, the key again, quantity ${quantity}`,
        req: {
          method: 'POST',
          path: `/products/${sku}/restock`,
          headers: { ...json, ...asUser('operator'), 'idempotency-key': restockKey },
          body: Buffer.from(JSON.stringify({ quantity })),
        },
        want: { expect: [409], names: ['idempotency-key'] },
      })),
      fc.constant<Probe>({
        label: 'cancel a cancelled order',
        req: { method: 'POST', path: `/orders/${orderId}/cancel`, headers: asUser('customer') },
        want: { expect: [409], names: [orderId] },
      }),
      fc.constant<Probe>({
        label: 'a carrier delivers a shipment it never dispatched',
        req: {
          method: 'POST',
          path: `/shipments/${context.shipmentId}/events`,
          headers: json,
          body: Buffer.from(
            JSON.stringify({
              eventId: 'carrier-fz-delivered',
              type: 'DELIVERED',
              carrier: 'ACME Parcel',
              trackingNumber: 'TRK-0001',
              occurredAt: new Date().toISOString(),
            }),
          ),
        },
        want: { expect: [409], names: ['SCHEDULED'] },
        signed: true,
      }),
      // Exact replays answer as the first time, and add nothing.
      fc.constant<Probe>({
        label: 'POST /orders replayed',
        req: {
          method: 'POST',
          path: '/orders',
          headers: { ...json, ...asUser('customer'), 'idempotency-key': orderKey },
          body: Buffer.from(JSON.stringify(order)),
        },
        want: { expect: [202], names: [] },
      }),
      fc.constant<Probe>({
        label: 'restock replayed',
        req: {
          method: 'POST',
          path: `/products/${sku}/restock`,
          headers: { ...json, ...asUser('operator'), 'idempotency-key': restockKey },
          body: Buffer.from(JSON.stringify({ quantity: 1 })),
        },
        want: { expect: [200], names: [] },
      }),
    );
    await writesNothing(() =>
      fc.assert(
        fc.asyncProperty(cases, async (probes) => {
          for (const c of probes) {
            const body = c.req.body ?? Buffer.alloc(0);
            const at = Math.floor(Date.now() / 1000);
            const req = c.signed
              ? {
                  ...c.req,
                  headers: {
                    ...c.req.headers,
                    'x-carrier-signature': carrierSignature(
                      shop.webhookSecret,
                      {
                        method: c.req.method,
                        path: c.req.path.split('?')[0]!,
                        body: body.toString('utf8'),
                      },
                      at,
                    ),
                  },
                }
              : c.req;
            const reply = await sendRaw(req);
            tally.add('conflicts and replays', reply);
            const wrong =
              reply.status < 300
                ? reply.status === c.want.expect[0]
                  ? undefined
                  : `status ${reply.status}`
                : verdict(c.want, reply);
            if (wrong) {
              throw new Error(`${c.label}: ${wrong}\n  reply: ${reply.text.slice(0, 400)}`);
            }
          }
        }),
        { seed, numRuns: 10 },
      ),
    );
  }, 60_000);
});

describe('near-valid input is accepted', () => {
  /** Text a person could type: scripts, emoji, bidi marks and a zero-width joiner inside visible text. */
  const humanText = fc
    .tuple(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
      fc.constantFrom(
        '',
        '😀',
        '\u05e9\u05dc\u05d5\u05dd',
        '\u202bمرحبا\u202c',
        'Caf\u00e9',
        'a\u200db',
        '👩‍👩‍👧',
      ),
    )
    .map(([a, b]) => `Fz ${a}${b}`);

  it('products, restocks, reads and orders at the edges of what is allowed', async () => {
    const orders: { orderId: string; unknownSku: boolean; token: string }[] = [];
    let n = 0;
    const cases = fc.oneof(
      fc
        .record({
          name: humanText,
          priceCents: fc.oneof(
            fc.constantFrom(0, 100_000_000),
            fc.integer({ min: 0, max: 100_000_000 }),
          ),
          type: fc.constantFrom(
            'application/json',
            'application/json; charset=utf-8',
            'Application/JSON',
            'application/vnd.shop+json',
            'application/problem+json',
          ),
        })
        .map(({ name, priceCents, type }): NearValid => ({
          label: `PUT a product named ${JSON.stringify(name)} at ${priceCents} as ${type}`,
          expect: [201],
          request: () => ({
            method: 'PUT',
            path: `/products/FZ-NV-${process.pid}-${++n}`,
            headers: { 'content-type': type, ...asUser('operator') },
            body: Buffer.from(JSON.stringify({ name, priceCents })),
          }),
        })),
      fc
        .record({
          quantity: fc.integer({ min: 1, max: 1_000_000 }),
          keyed: fc.boolean(),
          atLimit: fc.boolean(),
        })
        .map(({ quantity, keyed, atLimit }): NearValid => ({
          label: `restock ${quantity}${keyed ? ' with a key' : ''}${atLimit ? ', body padded to 64 KB exactly' : ''}`,
          expect: [200],
          request: () => {
            const text = JSON.stringify({ quantity });
            return {
              method: 'POST',
              path: `/products/${sku}/restock`,
              headers: {
                'content-type': 'application/json',
                ...asUser('operator'),
                ...(keyed && { 'idempotency-key': randomUUID() }),
              },
              body: Buffer.from(atLimit ? text.padEnd(64 * 1024, ' ') : text),
            };
          },
        })),
      fc
        .record({ limit: fc.integer({ min: 1, max: 100 }), me: fc.boolean() })
        .map(({ limit, me }): NearValid => ({
          label: `notifications of ${me ? 'me' : 'the customer by id'}, limit ${limit}`,
          expect: [200],
          request: () => ({
            method: 'GET',
            path: `/customers/${me ? 'me' : context.customerId}/notifications?limit=${limit}`,
            headers: asUser('customer'),
          }),
        })),
      fc.constant<NearValid>({
        label: 'GET the product',
        expect: [200],
        // The one public read: no token.
        request: () => ({ method: 'GET', path: `/products/${sku}`, headers: {} }),
      }),
      fc
        .record({
          lines: fc.uniqueArray(
            fc.record({
              sku: fc.constantFrom(sku, `FZ-UNKNOWN-${process.pid}`),
              quantity: fc.integer({ min: 1, max: 3 }),
            }),
            { minLength: 1, maxLength: 2, selector: (l) => l.sku },
          ),
          token: fc.constantFrom('tok_approve', 'tok_decline'),
          name: humanText,
          line2: fc.option(fc.constantFrom('', 'Flat 2\u200b', 'שלום 5'), { nil: undefined }),
        })
        .map(({ lines, token, name, line2 }): NearValid => ({
          label: `an order of ${JSON.stringify(lines)} paid with ${token} for ${JSON.stringify(name)}`,
          expect: [202],
          request: () => ({
            method: 'POST',
            path: '/orders',
            headers: {
              'content-type': 'application/json',
              ...asUser('customer'),
              'idempotency-key': randomUUID(),
            },
            body: Buffer.from(
              JSON.stringify({
                lines,
                paymentToken: token,
                shippingAddress: { ...ADDRESS, name, ...(line2 !== undefined && { line2 }) },
              }),
            ),
          }),
          order: { unknownSku: lines.some((l) => l.sku !== sku), token },
        })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const req = c.request();
        const reply = await sendRaw(req);
        tally.add('near-valid', reply);
        if (!c.expect.includes(reply.status)) {
          throw new Error(
            `${c.label}: status ${reply.status}, expected ${c.expect.join(' or ')}\n  ${describeRequest(req)}\n  reply: ${reply.text.slice(0, 400)}`,
          );
        }
        if (c.order) {
          orders.push({ orderId: String(reply.json?.['orderId']), ...c.order });
        }
      }),
      { seed, numRuns: 40 },
    );

    // Accepted orders settle as the saga says, odd names and all.
    await settled(shop);
    for (const o of orders) {
      const order = await eventually(`order ${o.orderId} to settle`, async () => {
        const { body } = await api(shop, 'GET', `/orders/${o.orderId}`);
        return ['CONFIRMED', 'CANCELLED'].includes(String(body['status'])) ? body : undefined;
      });
      const expected = o.unknownSku
        ? { status: 'CANCELLED', reason: 'OUT_OF_STOCK' }
        : o.token === 'tok_decline'
          ? { status: 'CANCELLED', reason: 'PAYMENT_DECLINED' }
          : { status: 'CONFIRMED' };
      expect(order, o.orderId).toMatchObject(expected);
    }
  }, 120_000);
});

/** Bugs this fuzz found (now fixed), kept as regressions. */
describe('regressions found by fuzzing', () => {
  it('free text refuses lone surrogates and control characters, naming the field', async () => {
    const targets: Record<
      string,
      {
        method: string;
        path: () => string;
        body: (v: string) => unknown;
        as: 'customer' | 'operator';
      }
    > = {
      name: {
        method: 'PUT',
        path: () => `/products/FZ-ODD-${process.pid}-${randomUUID().slice(0, 8)}`,
        body: (v) => ({ name: `Mug ${v}`, priceCents: 100 }),
        as: 'operator',
      },
      'shippingAddress.name': {
        method: 'POST',
        path: () => '/orders',
        body: (v) => ({
          lines: [{ sku, quantity: 1 }],
          paymentToken: 'tok_approve',
          shippingAddress: { ...ADDRESS, name: `Ada ${v}` },
        }),
        as: 'customer',
      },
      paymentToken: {
        method: 'POST',
        path: () => '/orders',
        body: (v) => ({
          lines: [{ sku, quantity: 1 }],
          paymentToken: `tok_approve${v}`,
          shippingAddress: ADDRESS,
        }),
        as: 'customer',
      },
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(targets)),
        fc.constantFrom('\ud800', '\udc00', '\u0000', '\u0008', '\u001b'),
        async (field, odd) => {
          const t = targets[field]!;
          const req = {
            method: t.method,
            path: t.path(),
            headers: {
              'content-type': 'application/json',
              ...asUser(t.as),
              'idempotency-key': randomUUID(),
            },
            body: Buffer.from(JSON.stringify(t.body(odd))),
          };
          const reply = await sendRaw(req);
          const wrong = verdict({ expect: [400], names: [field] }, reply);
          if (wrong) {
            throw new Error(
              `${field} with ${JSON.stringify(odd)}: ${wrong}: ${reply.text.slice(0, 300)}`,
            );
          }
        },
      ),
      { seed, numRuns: 10, endOnFailure: true },
    );
  }, 30_000);

  it('a sku that is a dot-segment ("." or "..") is refused, naming sku', async () => {
    for (const segment of ['..', '%2E%2E', '.']) {
      const reply = await sendRaw({
        method: 'PUT',
        path: `/products/${segment}`,
        headers: { 'content-type': 'application/json', ...asUser('operator') },
        body: Buffer.from(JSON.stringify({ name: 'Unreachable', priceCents: 100 })),
      });
      expect(
        verdict({ expect: [400], names: ['sku'] }, reply),
        `PUT /products/${segment}: ${reply.status} ${reply.text}`,
      ).toBeUndefined();
    }
  }, 30_000);
});
