import * as z from 'zod';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import {
  HttpError,
  callerOf,
  httpHandler,
  json,
  parseBody,
  parseParams,
  requireOperator,
} from '#plumbing/http.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { restockQuantity, viewOf } from '../domain/product.js';
import { productNotFound, skuPath } from '../http.js';
import type { RestockProduct } from '../ports.js';

const body = z.strictObject({ quantity: restockQuantity });

/** API Gateway HTTP APIs hand headers over lower-cased. */
const headers = z.object({
  'idempotency-key': z
    .string()
    .regex(
      /^[\x21-\x7e]{1,200}$/,
      'Idempotency-Key must be 1-200 printable ASCII characters without spaces, such as a UUID',
    )
    .optional(),
});

/**
 * POST /products/{sku}/restock: adds stock. Adding is not idempotent, so a
 * client that may retry sends an Idempotency-Key: the same key and body add
 * once (a replay answers 200 with `idempotent-replayed: true`), the same key
 * with another sku or quantity is a 409. Operators only (403 naming the group).
 */
export function makeRestock(deps: { restockProduct: RestockProduct }) {
  return httpHandler(async (event) => {
    requireOperator(callerOf(event), 'POST /products/{sku}/restock');
    const { sku } = parseParams(event.pathParameters, skuPath);
    const { 'idempotency-key': idempotencyKey } = parseParams(event.headers, headers, 'headers');
    const { quantity } = parseBody(event, body);
    const result = await deps.restockProduct({ sku, quantity, idempotencyKey });
    switch (result.outcome) {
      case 'restocked':
        return json(200, viewOf(result.product));
      case 'replayed':
        return json(200, viewOf(result.product), { 'idempotent-replayed': 'true' });
      case 'unknown-sku':
        throw productNotFound(sku);
      case 'key-reused':
        throw new HttpError(
          409,
          'IdempotencyKeyReused',
          `Idempotency-Key "${idempotencyKey}" was already used to restock sku "${result.original.sku}" by ${result.original.quantity}; send a new key for a different request.`,
          { field: 'idempotency-key' },
        );
      default: {
        const _exhaustive: never = result;
        return _exhaustive;
      }
    }
  });
}

export const handler = instrument(lazyHandler(() => makeRestock(defaultDeps())));
