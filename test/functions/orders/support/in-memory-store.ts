import type { DomainEvent } from '#events/contract.js';
import type { Order } from '../../../../functions/orders/domain/state.js';
import type {
  CreateOrder,
  FindIdempotencyKey,
  IdempotencyRecord,
  LoadOrder,
  SaveOrder,
} from '../../../../functions/orders/ports.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';

/**
 * The orders table in memory, with the same guarantees the DynamoDB adapter
 * gives: versioned writes, the Idempotency-Key claimed atomically with the
 * order, processed markers, and an outbox of published events.
 */
export function inMemoryStore() {
  const orders = new Map<string, { order: Order; version: number }>();
  const keys = new Map<string, IdempotencyRecord>();
  const processed = new Set<string>();
  const outbox: DomainEvent[] = [];
  let writes = 0;
  const copy = <T>(value: T): T => structuredClone(value);

  const loadOrder: LoadOrder = async (orderId) => {
    const stored = orders.get(orderId);
    return stored && copy(stored);
  };

  const saveOrder: SaveOrder = async ({ order, expectedVersion, events, handledEventId }) => {
    if (handledEventId && processed.has(handledEventId)) return 'duplicate';
    const current = orders.get(order.orderId);
    if (current?.version !== expectedVersion) {
      throw new ConcurrentUpdateError(['ConditionalCheckFailed']);
    }
    orders.set(order.orderId, { order: copy(order), version: expectedVersion + 1 });
    if (handledEventId) processed.add(handledEventId);
    outbox.push(...events);
    writes++;
    return 'committed';
  };

  const createOrder: CreateOrder = async ({ order, events, idempotency }) => {
    if (keys.has(idempotency.key)) return 'key-taken';
    if (orders.has(order.orderId)) throw new ConcurrentUpdateError(['ConditionalCheckFailed']);
    orders.set(order.orderId, { order: copy(order), version: 1 });
    keys.set(idempotency.key, copy(idempotency));
    outbox.push(...events);
    writes++;
    return 'created';
  };

  const findIdempotencyKey: FindIdempotencyKey = async (key) => {
    const record = keys.get(key);
    return record && copy(record);
  };

  return {
    loadOrder,
    saveOrder,
    createOrder,
    findIdempotencyKey,
    orders,
    keys,
    outbox,
    /** Successful transactions so far. */
    get writes() {
      return writes;
    },
    /** Puts an order straight into the table (version 1, or the one given). */
    seed(order: Order, version = 1) {
      orders.set(order.orderId, { order: copy(order), version });
    },
  };
}

export type InMemoryStore = ReturnType<typeof inMemoryStore>;
