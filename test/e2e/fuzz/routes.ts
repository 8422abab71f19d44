/**
 * Every route of the shop's HTTP API: a well-formed request to start from,
 * and the faults that must turn it into a 4xx naming the problem.
 */
import fc from 'fast-check';
import type { Draft } from './draft.js';
import { encodeSegment, setIn } from './draft.js';
import {
  badKeyValues,
  bodyFaults,
  fault,
  fieldFaults,
  pathFaults,
  unknownFault,
  type Fault,
  type Field,
} from './faults.js';
import { badIdString, ODD_CHARS, oddId } from './values.js';

export interface Route {
  name: string;
  /** A fresh draft every call: faults change it in place. */
  base(): Draft;
  faults: fc.Arbitrary<Fault>;
}

export interface RouteContext {
  /** A product that exists and has stock. */
  sku: string;
  /** Unique to this run, in ids the faults may fail to break (so a stray write is visible). */
  stamp: string;
  /**
   * A SCHEDULED shipment, set once the shop runs: webhook faults go to it, so
   * a body that wrongly passed validation would dispatch it, not just be a 404.
   */
  shipmentId: string;
  /**
   * `Bearer <token>` of the signed-in demo customer and of an operator, set
   * once the shop runs: every route but the carrier webhook is sent as one.
   */
  authorization: { customer: string; operator: string };
  /** The signed-in customer's id (the token's `sub`). */
  customerId: string;
}

const json = { 'content-type': 'application/json' };
const hex32 = fc.uuid().map((u) => u.replaceAll('-', ''));
const wellFormedId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const wellFormedSku = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/);

export const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 Analytical St',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

const text = (min: number, max: number, trim = false) =>
  ({ type: 'text', min, max, trim }) as const;

const ORDER_FIELDS: Field[] = [
  { path: ['lines'], kind: { type: 'array' }, required: true },
  { path: ['lines', 0], kind: { type: 'object' }, required: true },
  { path: ['lines', 0, 'sku'], kind: { type: 'id', dot: true }, required: true },
  { path: ['lines', 0, 'quantity'], kind: { type: 'int', min: 1, max: 1000 }, required: true },
  { path: ['paymentToken'], kind: text(1, 200), required: true },
  { path: ['shippingAddress'], kind: { type: 'object' }, required: true },
  { path: ['shippingAddress', 'name'], kind: text(1, 200), required: true },
  { path: ['shippingAddress', 'line1'], kind: text(1, 200), required: true },
  { path: ['shippingAddress', 'line2'], kind: text(0, 200), required: false },
  { path: ['shippingAddress', 'city'], kind: text(1, 100), required: true },
  { path: ['shippingAddress', 'postalCode'], kind: text(1, 20), required: true },
  { path: ['shippingAddress', 'country'], kind: { type: 'country' }, required: true },
];

const PRODUCT_FIELDS: Field[] = [
  { path: ['name'], kind: text(1, 200, true), required: true },
  { path: ['priceCents'], kind: { type: 'int', min: 0, max: 100_000_000 }, required: true },
];

const RESTOCK_FIELDS: Field[] = [
  { path: ['quantity'], kind: { type: 'int', min: 1, max: 1_000_000 }, required: true },
];

const CARRIER_FIELDS: Field[] = [
  { path: ['eventId'], kind: text(1, 100), required: true },
  { path: ['type'], kind: { type: 'enum', values: ['DISPATCHED', 'DELIVERED'] }, required: true },
  { path: ['carrier'], kind: text(1, 100), required: true },
  { path: ['trackingNumber'], kind: text(1, 100), required: true },
  { path: ['occurredAt'], kind: { type: 'datetime' }, required: true },
];

/** Faults only an order's lines have: none, too many, the same sku twice. */
const lineFaults = fc.oneof(
  fc.constant(
    fault('lines = []', [400], ['lines'], (d) => {
      const lines = (d.body.kind === 'json' && (d.body.value as { lines?: unknown }).lines) || [];
      if (!Array.isArray(lines)) return false;
      lines.length = 0;
      return true;
    }),
  ),
  fc.integer({ min: 51, max: 80 }).map((n) =>
    fault(`${n} lines`, [400], ['lines'], (d) => {
      if (d.body.kind !== 'json') return false;
      const body = d.body.value as Record<string, unknown>;
      body['lines'] = Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 }));
      return true;
    }),
  ),
  fc.constant(
    fault('the same sku on lines 0 and 1', [400], ['lines.1.sku'], (d) => {
      if (d.body.kind !== 'json') return false;
      const lines = (d.body.value as { lines?: unknown }).lines;
      if (!Array.isArray(lines) || typeof lines[0] !== 'object' || lines[0] === null) return false;
      lines[1] = { ...(lines[0] as object) };
      return true;
    }),
  ),
);

/** The customer is the token's subject: a body naming one, even the caller's own id, is a 400. */
const customerIdFaults = (ctx: RouteContext) =>
  fc
    .oneof(
      fc.constant<unknown>(undefined).map(() => ctx.customerId),
      fc.constantFrom<unknown>('cus_other', 'me', '', null, 0, {}),
      wellFormedId,
    )
    .map((value) =>
      fault(`customerId ${JSON.stringify(value)} in the body`, [400], ['customerId'], (d) =>
        setIn(d, ['customerId'], value),
      ),
    );

/** `Idempotency-Key` of POST /orders: required, 1-128 printable ASCII. */
const orderKeyFaults = fc.oneof(
  fc.constant(
    fault('no Idempotency-Key', [400], ['Idempotency-Key'], (d) => {
      delete d.headers['idempotency-key'];
      return true;
    }),
  ),
  badKeyValues(128).map((key) =>
    fault(`Idempotency-Key ${JSON.stringify(key)}`, [400], ['Idempotency-Key'], (d) => {
      d.headers['idempotency-key'] = key;
      return true;
    }),
  ),
);

/** `Idempotency-Key` of restock: optional, 1-200 printable ASCII without spaces. */
const restockKeyFaults = fc
  .oneof(fc.constantFrom('a b', 'key with spaces'), badKeyValues(200))
  .map((key) =>
    fault(`Idempotency-Key ${JSON.stringify(key)}`, [400], ['idempotency-key'], (d) => {
      d.headers['idempotency-key'] = key;
      return true;
    }),
  );

/** Order ids that are almost right. */
const nearOrderIds = hex32.chain((hex) =>
  fc.constantFrom(
    `ord_${hex.slice(1)}`,
    `ord_${hex}0`,
    `ord_${hex.toUpperCase()}`,
    `ORD_${hex}`,
    `ord-${hex}`,
    `ord_${hex.slice(1)}g`,
    hex,
    `ord_${hex}\n`,
    `ord_${hex.slice(0, 16)}\u0000${hex.slice(17)}`,
  ),
);
const badOrderIds = fc.oneof(badIdString(false), nearOrderIds, wellFormedId);

/** A signature header made of the right pieces in the wrong shape. */
const malformedSignatures = fc.oneof(
  fc.constantFrom(
    '',
    't=1',
    `v1=${'a'.repeat(64)}`,
    `t=abc,v1=${'a'.repeat(64)}`,
    `t=1.5,v1=${'a'.repeat(64)}`,
    `t=${Math.floor(Date.now() / 1000)},v1=${'A'.repeat(64)}`,
    `t=${Math.floor(Date.now() / 1000)},v1=${'a'.repeat(63)}`,
    `sha256=${'a'.repeat(64)}`,
    ',,,',
    '=',
    't=,v1=',
  ),
  fc.string({ unit: fc.constantFrom(...'tv1=,0123456789abcdef '), maxLength: 90 }),
);

const signatureFaults: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant(
    fault('no signature', [401], ['signature'], (d) => {
      d.signing!.omit = true;
      return true;
    }),
  ),
  malformedSignatures.map((header) =>
    fault(`signature ${JSON.stringify(header)}`, [401], ['signature'], (d) => {
      d.signing!.header = header;
      return true;
    }),
  ),
  // Out of the 300 s window, with a second to spare for the clock ticking between us and the shop.
  fc.oneof(fc.integer({ min: 303, max: 1e9 }), fc.integer({ min: -1e9, max: -303 })).map((skew) =>
    fault(`signed ${skew} s off`, [401], ['signature'], (d) => {
      d.signing!.skewSeconds = skew;
      return true;
    }),
  ),
  fc.string({ minLength: 1, maxLength: 40 }).map((secret) =>
    fault(`signed with secret ${JSON.stringify(secret)}`, [401], ['signature'], (d) => {
      d.signing!.secret = secret;
      return true;
    }),
  ),
  fc.constantFrom(' ', '\n', 'x', '}', '\u0000').map((extra) =>
    fault(`${JSON.stringify(extra)} appended after signing`, [401], ['signature'], (d) => {
      d.signing!.tamper = extra;
      return true;
    }),
  ),
);

const limits = [
  '0',
  '101',
  '-1',
  '1.5',
  '1e2',
  'abc',
  '',
  ' 1',
  '1000',
  '0x10',
  '１',
  '9'.repeat(25),
];
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const badTokens = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc
    .constantFrom(
      '{}',
      '[]',
      'null',
      '"x"',
      '{"occurredAt":"x","eventId":"e"}',
      '{"occurredAt":"2024-01-01T00:00:00Z"}',
      '{"occurredAt":"2024-01-01T00:00:00Z","eventId":""}',
      `{"occurredAt":"2024-01-01T00:00:00Z","eventId":"${'e'.repeat(65)}"}`,
      '{"occurredAt":1,"eventId":"e"}',
    )
    .map(b64),
  fc.integer({ min: 1001, max: 1600 }).map((n) => 'A'.repeat(n)),
);

const queryFaults: fc.Arbitrary<Fault> = fc.oneof(
  fc
    .oneof(
      fc.constantFrom(...limits).map((v) => `limit=${encodeSegment(v)}`),
      fc.constantFrom('limit', 'limit=1&limit=2', 'limit=%F0%9F%98%80', 'limit=5%00', 'limit=%zz'),
    )
    .map((query) =>
      fault(`?${query}`, [400], ['limit'], (d) => {
        d.query = query;
        return true;
      }),
    ),
  badTokens.map((token) =>
    fault(`?nextToken=${JSON.stringify(token)}`, [400], ['nextToken'], (d) => {
      d.query = `limit=5&nextToken=${encodeSegment(token)}`;
      return true;
    }),
  ),
  fc
    .tuple(
      fc.constantFrom('Limit', 'LIMIT', 'next_token', 'nexttoken', 'limit ', 'page', 'x'),
      fc.string({ unit: fc.constantFrom('a', '1', '_', ...ODD_CHARS), maxLength: 3 }),
    )
    .map(([head, tail]) => `${head}${tail}`)
    // A key the server decodes to what was meant: no lone surrogates, which decode to U+FFFD.
    .filter((key) => !/[\ud800-\udfff]/.test(key.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')))
    .map((key) =>
      fault(`?${JSON.stringify(key)}=1`, [400], [key], (d) => {
        d.query = `${encodeSegment(key)}=1`;
        return true;
      }),
    ),
);

/** Methods and paths no route has: API Gateway's own 404. */
const unrouted: [string, string][] = [
  ['DELETE', '/orders'],
  ['GET', '/orders'],
  ['PUT', '/orders/ord_00000000000000000000000000000000'],
  ['DELETE', '/products/MUG-001'],
  ['PATCH', '/products/MUG-001'],
  ['GET', '/products/MUG-001/restock'],
  ['POST', '/products/MUG-001/restock/now'],
  ['GET', '/products/'],
  ['GET', '/products'],
  ['GET', '/products/MUG-001/'],
  ['POST', '/orders//cancel'],
  ['GET', '/payments'],
  ['POST', '/payments/x'],
  ['PUT', '/shipments/x/events'],
  ['GET', '/shipments/x/events'],
  ['GET', '/customers/c/notifications/x'],
  ['GET', '/customers//notifications'],
  ['OPTIONS', '/orders'],
  ['GET', '/'],
  ['GET', '/%2e%2e/orders'],
  ['GET', '/nothing-here'],
  ['TRACE', '/orders'],
];

export function routes(ctx: RouteContext): Route[] {
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${ctx.stamp}-${++n}`;
  // Read at send time: the tokens exist only once the shop runs.
  const asCustomer = () => ({ authorization: ctx.authorization.customer });
  const asOperator = () => ({ authorization: ctx.authorization.operator });

  const placeOrder: Route = {
    name: 'POST /orders',
    base: () => ({
      method: 'POST',
      segments: ['orders'],
      query: '',
      headers: { ...json, ...asCustomer(), 'idempotency-key': unique('fuzz') },
      body: {
        kind: 'json',
        value: {
          lines: [{ sku: ctx.sku, quantity: 1 }],
          paymentToken: 'tok_approve',
          shippingAddress: { ...ADDRESS },
        },
        suffix: '',
      },
    }),
    faults: fc.oneof(
      { weight: 6, arbitrary: fieldFaults(ORDER_FIELDS) },
      { weight: 1, arbitrary: lineFaults },
      { weight: 2, arbitrary: orderKeyFaults },
      { weight: 1, arbitrary: customerIdFaults(ctx) },
      { weight: 4, arbitrary: bodyFaults(['paymentToken']) },
    ),
  };

  const orderPath = (name: string, method: string, tail: string[]): Route => ({
    name,
    base: () => ({
      method,
      segments: ['orders', `ord_${'0'.repeat(31)}f`, ...tail],
      query: '',
      headers: asCustomer(),
      body: { kind: 'none' },
    }),
    faults: fc.oneof(
      { weight: 4, arbitrary: pathFaults(1, 'orderId', badOrderIds.filter(notOrderId)) },
      {
        weight: 1,
        arbitrary: unknownFault(
          1,
          hex32.map((h) => `ord_${h}`),
        ),
      },
    ),
  });

  const putProduct: Route = {
    name: 'PUT /products/{sku}',
    base: () => ({
      method: 'PUT',
      segments: ['products', unique('FZ-PUT')],
      query: '',
      headers: { ...json, ...asOperator() },
      body: { kind: 'json', value: { name: 'Fuzzed product', priceCents: 1234 }, suffix: '' },
    }),
    faults: fc.oneof(
      { weight: 2, arbitrary: pathFaults(1, 'sku', badIdString(true)) },
      { weight: 4, arbitrary: fieldFaults(PRODUCT_FIELDS) },
      { weight: 4, arbitrary: bodyFaults(['name']) },
    ),
  };

  const restock: Route = {
    name: 'POST /products/{sku}/restock',
    base: () => ({
      method: 'POST',
      segments: ['products', ctx.sku, 'restock'],
      query: '',
      headers: { ...json, ...asOperator() },
      body: { kind: 'json', value: { quantity: 1 }, suffix: '' },
    }),
    faults: fc.oneof(
      { weight: 2, arbitrary: pathFaults(1, 'sku', badIdString(true)) },
      {
        weight: 1,
        arbitrary: unknownFault(
          1,
          wellFormedSku.map((s) => `FZ-NONE-${s}`.slice(0, 64)),
        ),
      },
      { weight: 2, arbitrary: restockKeyFaults },
      { weight: 3, arbitrary: fieldFaults(RESTOCK_FIELDS) },
      { weight: 4, arbitrary: bodyFaults(['padding']) },
    ),
  };

  const getById = (
    name: string,
    prefix: string,
    param: string,
    bad: fc.Arbitrary<string>,
    unknown: fc.Arbitrary<string>,
  ): Route => ({
    name,
    base: () => ({
      method: 'GET',
      segments: [prefix, unique('fz-none')],
      query: '',
      // GET /products/{sku} needs none, and ignores one.
      headers: asCustomer(),
      body: { kind: 'none' },
    }),
    faults: fc.oneof(
      { weight: 4, arbitrary: pathFaults(1, param, bad) },
      { weight: 1, arbitrary: unknownFault(1, unknown) },
    ),
  });

  const webhook: Route = {
    name: 'POST /shipments/{shipmentId}/events',
    // No bearer token: the carrier proves itself with the HMAC signature alone.
    base: () => ({
      method: 'POST',
      segments: ['shipments', ctx.shipmentId, 'events'],
      query: '',
      headers: { ...json },
      body: {
        kind: 'json',
        value: {
          eventId: unique('carrier-fz'),
          type: 'DISPATCHED',
          carrier: 'ACME Parcel',
          trackingNumber: 'TRK-0001',
          occurredAt: new Date().toISOString(),
        },
        suffix: '',
      },
      signing: { skewSeconds: 0, tamper: '', omit: false },
    }),
    faults: fc.oneof(
      { weight: 4, arbitrary: signatureFaults },
      { weight: 2, arbitrary: pathFaults(1, 'shipmentId') },
      {
        weight: 1,
        arbitrary: unknownFault(
          1,
          wellFormedId.map((s) => `shp_fz_${s}`.slice(0, 64)),
        ),
      },
      { weight: 3, arbitrary: fieldFaults(CARRIER_FIELDS) },
      { weight: 3, arbitrary: bodyFaults(['carrier']) },
    ),
  };

  const notifications: Route = {
    name: 'GET /customers/{customerId}/notifications',
    base: () => ({
      method: 'GET',
      // The caller's own list: another customer's would be a 404 before the query is read.
      segments: ['customers', 'me', 'notifications'],
      query: '',
      headers: asCustomer(),
      body: { kind: 'none' },
    }),
    faults: fc.oneof(
      { weight: 2, arbitrary: pathFaults(1, 'customerId') },
      { weight: 3, arbitrary: queryFaults },
    ),
  };

  const nowhere: Route = {
    name: 'routes that do not exist',
    base: () => ({ method: 'GET', segments: [''], query: '', headers: {}, body: { kind: 'none' } }),
    faults: fc.constantFrom(...unrouted).map(([method, path]) =>
      fault(`${method} ${path}`, [404, 405], ['Not Found'], (d) => {
        d.method = method;
        d.segments = path.slice(1).split('/');
        return true;
      }),
    ),
  };

  return [
    placeOrder,
    orderPath('GET /orders/{orderId}', 'GET', []),
    orderPath('POST /orders/{orderId}/cancel', 'POST', ['cancel']),
    putProduct,
    restock,
    getById(
      'GET /products/{sku}',
      'products',
      'sku',
      badIdString(true),
      wellFormedSku.map((s) => `FZ-NONE-${s}`.slice(0, 64)),
    ),
    getById('GET /payments/{orderId}', 'payments', 'orderId', badIdString(false), wellFormedId),
    webhook,
    getById('GET /shipments/{shipmentId}', 'shipments', 'shipmentId', oddId, wellFormedId),
    notifications,
    nowhere,
  ];
}

const notOrderId = (s: string) => !/^ord_[0-9a-f]{32}$/.test(s);
